package org.ltipublisher.accounts;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;
import org.ltipublisher.LtiConfig;
import org.ltipublisher.accounts.AccountDtos.PlatformUserView;
import org.ltipublisher.db.AdvisoryLocks;
import org.ltipublisher.db.JdbcTemplate;
import org.ltipublisher.web.Rejection;

import io.quarkus.elytron.security.common.BcryptUtil;

/**
 * Accounts as launches and sign-ins use them (SQL only; the admin API's account editing is
 * {@link AccountAdminService}), and their links to platform users. A platform user already linked always reuses that
 * account (Moodle's rule); the provisioning mode only decides what happens the first time.
 */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final char[] NAME_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private final JdbcTemplate sql;
    private final AdvisoryLocks locks;
    private final LtiConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private volatile String dummyHash;

    public AccountService(JdbcTemplate sql, AdvisoryLocks locks, LtiConfig config, Clock clock) {
        this.sql = sql;
        this.locks = locks;
        this.config = config;
        this.clock = clock;
    }

    // --- local sign-in -------------------------------------------------------------------------

    /** Why a username and password did not sign in (logged, never shown: the page says the same for both). */
    public enum SignInFailure {
        UNKNOWN_USERNAME, WRONG_PASSWORD
    }

    /** An account when the password matched, else the reason it did not. */
    public record Authentication(Optional<AccountSummary> account, SignInFailure failure) {
        static Authentication failed(SignInFailure failure) {
            return new Authentication(Optional.empty(), failure);
        }
    }

    /**
     * Checks a username and password with constant work whether or not the user exists. Not transactional:
     * the hash is read in one short statement and bcrypt runs while this thread holds no database
     * connection, so a burst of sign-ins cannot drain the pool the launches need.
     */
    public Authentication authenticate(String username, String password) {
        if (username == null || password == null || username.isBlank()) {
            BcryptUtil.matches(password == null ? "" : password, dummyHash());
            return Authentication.failed(SignInFailure.UNKNOWN_USERNAME);
        }
        Optional<Credentials> credentials = sql.queryOne("""
                select id, username, email, given_name, family_name, full_name, anonymous, password_hash
                from account where username = ?
                """, Credentials::read, username.trim());
        String hash = credentials.map(Credentials::passwordHash).orElse(null);
        if (hash == null) {
            // same bcrypt cost as a real check, so response time does not reveal which usernames exist
            BcryptUtil.matches(password, dummyHash());
            return Authentication.failed(SignInFailure.UNKNOWN_USERNAME);
        }
        return BcryptUtil.matches(password, hash)
                ? new Authentication(credentials.map(Credentials::summary), null)
                : Authentication.failed(SignInFailure.WRONG_PASSWORD);
    }

    /** Whether this password is the account's (re-authentication before linking the signed-in account). */
    public boolean passwordMatches(UUID accountId, String password) {
        String hash = sql.queryOne("select password_hash from account where id = ?", row -> row.getString("password_hash"), accountId)
                .orElse(null);
        if (hash == null || password == null) {
            BcryptUtil.matches(password == null ? "" : password, dummyHash());
            return false;
        }
        return BcryptUtil.matches(password, hash);
    }

    private record Credentials(AccountSummary summary, String passwordHash) {
        static Credentials read(java.sql.ResultSet row) throws java.sql.SQLException {
            return new Credentials(AccountService.summary(row), row.getString("password_hash"));
        }
    }

    public Optional<AccountSummary> find(UUID id) {
        return sql.queryOne("""
                select id, username, email, given_name, family_name, full_name, anonymous from account where id = ?
                """, AccountService::summary, id);
    }

    // --- platform users of an account (admin) -------------------------------------------------

    /** The platform users linked to an account, the most recently launched first. */
    public List<PlatformUserView> platformUsers(UUID accountId) {
        requireAccount(accountId);
        return sql.list("""
                select id, issuer, subject, owns_profile, created_at, last_launch_at from platform_user
                where account_id = ? order by last_launch_at desc, id
                """, AccountService::platformUser, accountId);
    }

    /**
     * Removes one platform user's link to the account, in one conditional DELETE so that of two concurrent
     * unlinks exactly one removes the row. Nothing else changes (the account, its enrolments and scores stay);
     * the platform user's next launch goes through the resource's provisioning mode again, as a first launch.
     */
    public PlatformUserView unlink(UUID accountId, UUID platformUserId) {
        Optional<PlatformUserView> removed = sql.queryOne("""
                delete from platform_user where id = ? and account_id = ?
                returning id, issuer, subject, owns_profile, created_at, last_launch_at
                """, AccountService::platformUser, platformUserId, accountId);
        if (removed.isEmpty()) {
            requireAccount(accountId);
            throw Rejection.notFound("platform_user_not_linked", "the platform user " + platformUserId
                    + " is not linked to this account (any more): it may have been unlinked already; the account's "
                    + "page shows its current links");
        }
        LOG.infof("audit: platform user %s (issuer '%s', subject '%s') unlinked from account %s", platformUserId,
                removed.get().issuer(), removed.get().subject(), accountId);
        return removed.get();
    }

    private void requireAccount(UUID accountId) {
        if (sql.queryOne("select 1 as known from account where id = ?", row -> row.getInt("known"), accountId)
                .isEmpty()) {
            throw Rejection.notFound("unknown_account", "no account with id " + accountId);
        }
    }

    private static PlatformUserView platformUser(java.sql.ResultSet row) throws java.sql.SQLException {
        return new PlatformUserView(row.getObject("id", UUID.class), row.getString("issuer"),
                row.getString("subject"), row.getBoolean("owns_profile"),
                row.getTimestamp("created_at").toInstant(), row.getTimestamp("last_launch_at").toInstant());
    }

    // --- launch --------------------------------------------------------------------------------

    /**
     * The account linked to this platform user, touching the link and refreshing the profile from the
     * launch: only when this platform user's launch created the account (a platform user linked to an
     * existing account never rewrites its e-mail or name), and never for anonymous accounts.
     */
    public Optional<AccountSummary> findLinked(PlatformIdentity identity) {
        Optional<Linked> linked = sql.queryOne("""
                with link as (
                    update platform_user set last_launch_at = ? where issuer = ? and subject = ?
                    returning account_id, owns_profile)
                select a.id, a.username, a.email, a.given_name, a.family_name, a.full_name, a.anonymous,
                    link.owns_profile
                from account a join link on a.id = link.account_id
                """, row -> {
            return new Linked(linkedAccount(row), row.getBoolean("owns_profile"));
        }, clock.instant(), identity.issuer(), identity.subject());
        linked.filter(l -> l.ownsProfile() && !l.account().anonymous && profileChanged(l.account(), identity))
                .map(Linked::account).ifPresent(a -> {
            a.email = coalesce(identity.email(), a.email);
            a.givenName = coalesce(identity.givenName(), a.givenName);
            a.familyName = coalesce(identity.familyName(), a.familyName);
            a.fullName = coalesce(identity.fullName(), a.fullName);
            sql.update("update account set email = ?, given_name = ?, family_name = ?, full_name = ? where id = ?",
                    a.email, a.givenName, a.familyName, a.fullName, a.id);
        });
        return linked.map(l -> AccountSummary.of(l.account()));
    }

    private record Linked(Account account, boolean ownsProfile) {
    }

    /**
     * Creates an account for a platform user and links it. Concurrent first launches of the same user
     * take turns on an advisory lock, so the second one finds the first one's link.
     */
    public AccountSummary createAndLink(PlatformIdentity identity, boolean anonymous) {
        return createAndLink(identity, anonymous, AccountDefaults.NONE);
    }

    /**
     * As {@link #createAndLink(PlatformIdentity, boolean)}, the new account starting with the resource's user
     * default values (language, time zone, institution; Moodle's "User default values"). An account linked
     * already keeps its own.
     */
    public AccountSummary createAndLink(PlatformIdentity identity, boolean anonymous, AccountDefaults defaults) {
        locks.lockForTransaction("platform-user:" + identity.issuer() + "\n" + identity.subject());
        Optional<AccountSummary> existing = findLinked(identity);
        if (existing.isPresent()) {
            return existing.get();
        }
        // one statement, no entity: the launch path writes accounts by SQL only (see findLinked)
        UUID id = UUID.randomUUID();
        String username = (anonymous ? "anon-" : "lti-") + randomName(12);
        AccountSummary created = sql.queryOne("""
                insert into account (id, username, email, given_name, family_name, full_name, anonymous, created_at,
                    language, timezone, institution)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                returning id, username, email, given_name, family_name, full_name, anonymous
                """, AccountService::summary, id, username,
                anonymous ? username + "@" + config.accounts().anonymousEmailDomain() : identity.email(),
                anonymous ? null : identity.givenName(), anonymous ? null : identity.familyName(),
                anonymous ? null : identity.fullName(), anonymous, clock.instant(), defaults.language(),
                defaults.timezone(), defaults.institution()).orElseThrow();
        insertLink(identity, id, true);
        return created;
    }

    /** A platform user to give a new account, anonymous or not (member sync: one page at a time). */
    public record NewLink(PlatformIdentity identity, boolean anonymous) {
    }

    /**
     * The accounts linked to these platform users of one issuer, by subject, in one statement; profiles
     * are refreshed as {@link #findLinked(PlatformIdentity)} does (there, one statement per changed profile).
     * A roster read is not a launch: {@code last_launch_at} stays as the last launch left it.
     */
    public Map<String, UUID> findLinked(String issuer, List<PlatformIdentity> identities) {
        Map<String, PlatformIdentity> bySubject = new HashMap<>();
        identities.forEach(i -> bySubject.put(i.subject(), i));
        Map<String, UUID> linked = new HashMap<>();
        sql.list("""
                select pu.subject, pu.owns_profile, a.id, a.username, a.email, a.given_name, a.family_name,
                       a.full_name, a.anonymous
                from platform_user pu join account a on a.id = pu.account_id
                where pu.issuer = ? and pu.subject = any(?::text[])
                """, row -> {
            return Map.entry(row.getString("subject"), new Linked(linkedAccount(row), row.getBoolean("owns_profile")));
        }, issuer, bySubject.keySet().toArray(String[]::new)).forEach(entry -> {
            Linked l = entry.getValue();
            PlatformIdentity identity = bySubject.get(entry.getKey());
            if (l.ownsProfile() && !l.account().anonymous && profileChanged(l.account(), identity)) {
                sql.update("update account set email = ?, given_name = ?, family_name = ?, full_name = ? where id = ?",
                        coalesce(identity.email(), l.account().email), coalesce(identity.givenName(), l.account().givenName),
                        coalesce(identity.familyName(), l.account().familyName),
                        coalesce(identity.fullName(), l.account().fullName), l.account().id);
            }
            linked.put(entry.getKey(), l.account().id);
        });
        return linked;
    }

    /** The account columns both findLinked queries select, by name. */
    private static Account linkedAccount(ResultSet row) throws SQLException {
        Account a = new Account();
        a.id = row.getObject("id", UUID.class);
        a.username = row.getString("username");
        a.email = row.getString("email");
        a.givenName = row.getString("given_name");
        a.familyName = row.getString("family_name");
        a.fullName = row.getString("full_name");
        a.anonymous = row.getBoolean("anonymous");
        return a;
    }

    /**
     * As {@link #createAndLink(PlatformIdentity, boolean, AccountDefaults)} for many platform users of one
     * issuer at once, inside the caller's transaction: takes their advisory locks (in one order, so two
     * callers cannot deadlock; a launch takes the same lock for its user), then creates and links the
     * accounts of those still unlinked in one statement. Returns the account of every subject, new or found.
     */
    public Map<String, UUID> createAndLinkAll(String issuer, List<NewLink> links, AccountDefaults defaults) {
        if (links.isEmpty()) {
            return Map.of();
        }
        String[] subjects = links.stream().map(l -> l.identity().subject()).distinct().toArray(String[]::new);
        sql.queryOne("""
                select count(pg_advisory_xact_lock(k)) as locked from (
                    select distinct hashtextextended('platform-user:' || ? || chr(10) || s, 0) as k
                    from unnest(?::text[]) s order by k) keys
                """, row -> row.getInt("locked"), issuer, subjects);
        // under the locks: a launch may have linked some of them meanwhile
        Map<String, UUID> accounts = new HashMap<>(findLinked(issuer, links.stream().map(NewLink::identity).toList()));
        List<NewLink> fresh = new ArrayList<>();
        Set<String> seen = new HashSet<>(accounts.keySet());
        for (NewLink link : links) {
            if (seen.add(link.identity().subject())) {
                fresh.add(link);
            }
        }
        if (fresh.isEmpty()) {
            return accounts;
        }
        int n = fresh.size();
        String[] ids = new String[n];
        String[] freshSubjects = new String[n];
        String[] usernames = new String[n];
        String[] emails = new String[n];
        String[] givenNames = new String[n];
        String[] familyNames = new String[n];
        String[] fullNames = new String[n];
        String[] anonymous = new String[n];
        for (int i = 0; i < n; i++) {
            NewLink link = fresh.get(i);
            PlatformIdentity identity = link.identity();
            UUID id = UUID.randomUUID();
            ids[i] = id.toString();
            freshSubjects[i] = identity.subject();
            usernames[i] = (link.anonymous() ? "anon-" : "lti-") + randomName(12);
            emails[i] = link.anonymous() ? usernames[i] + "@" + config.accounts().anonymousEmailDomain() : identity.email();
            givenNames[i] = link.anonymous() ? null : identity.givenName();
            familyNames[i] = link.anonymous() ? null : identity.familyName();
            fullNames[i] = link.anonymous() ? null : identity.fullName();
            anonymous[i] = Boolean.toString(link.anonymous());
            accounts.put(identity.subject(), id);
        }
        // one statement, no entity, as createAndLink: the platform_user rows reference the accounts made with them
        sql.queryOne("""
                with fresh as (
                    select * from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::boolean[]) as f(id, subject, username, email, given_name, family_name, full_name, anonymous)),
                made as (
                    insert into account (id, username, email, given_name, family_name, full_name, anonymous, created_at,
                        language, timezone, institution)
                    select id, username, email, given_name, family_name, full_name, anonymous, ?, ?, ?, ? from fresh
                    returning id),
                linked as (
                    insert into platform_user (id, issuer, subject, account_id, created_at, last_launch_at, owns_profile)
                    select gen_random_uuid(), ?, f.subject, f.id, ?, ?, true from fresh f
                    returning 1)
                select (select count(*) from made) + (select count(*) from linked) as written
                """, row -> row.getInt("written"), ids, freshSubjects, usernames, emails, givenNames, familyNames,
                fullNames, anonymous, clock.instant(), defaults.language(), defaults.timezone(), defaults.institution(),
                issuer, clock.instant(), clock.instant());
        return accounts;
    }

    /** Links a platform user to an existing account (prompt / existing-only modes). */
    public AccountSummary link(PlatformIdentity identity, UUID accountId) {
        locks.lockForTransaction("platform-user:" + identity.issuer() + "\n" + identity.subject());
        Optional<AccountSummary> existing = findLinked(identity);
        if (existing.isPresent()) {
            return existing.get();
        }
        AccountSummary account = sql.queryOne("""
                select id, username, email, given_name, family_name, full_name, anonymous from account where id = ?
                """, AccountService::summary, accountId)
                .orElseThrow(() -> Rejection.notFound("unknown_account", "the account to link no longer exists"));
        insertLink(identity, account.id(), false);
        return account;
    }

    /**
     * The oldest account with this e-mail address (case-insensitive), anonymous ones left out: what LTI 1.1
     * consumers in auto-link-email mode link their users to.
     */
    public Optional<AccountSummary> findByEmail(String email) {
        if (email == null || email.isBlank()) {
            return Optional.empty();
        }
        return sql.queryOne("""
                select id, username, email, given_name, family_name, full_name, anonymous from account
                where lower(email) = lower(?) and not anonymous order by created_at, id limit 1
                """, AccountService::summary, email.trim());
    }

    /** Whether an account's e-mail is the launch's (existing-only mode); both must be present. */
    public static boolean sameEmail(String accountEmail, String launchEmail) {
        return accountEmail != null && launchEmail != null
                && accountEmail.trim().toLowerCase(Locale.ROOT).equals(launchEmail.trim().toLowerCase(Locale.ROOT));
    }

    private static AccountSummary summary(java.sql.ResultSet row) throws java.sql.SQLException {
        String username = row.getString("username");
        return new AccountSummary(row.getObject("id", UUID.class), username, row.getString("email"),
                Account.displayName(username, row.getString("given_name"), row.getString("family_name"),
                        row.getString("full_name")),
                row.getBoolean("anonymous"));
    }

    /** {@code ownsProfile}: the launch created the account, so later launches keep its profile current. */
    private void insertLink(PlatformIdentity identity, UUID accountId, boolean ownsProfile) {
        sql.update("""
                insert into platform_user (id, issuer, subject, account_id, created_at, last_launch_at, owns_profile)
                values (?, ?, ?, ?, ?, ?, ?)
                """, UUID.randomUUID(), identity.issuer(), identity.subject(), accountId, clock.instant(),
                clock.instant(), ownsProfile);
    }

    private static boolean profileChanged(Account a, PlatformIdentity i) {
        return changed(a.email, i.email()) || changed(a.givenName, i.givenName())
                || changed(a.familyName, i.familyName()) || changed(a.fullName, i.fullName());
    }

    private static boolean changed(String stored, String launched) {
        return launched != null && !Objects.equals(stored, launched);
    }

    private static String coalesce(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            hash = dummyHash = BcryptUtil.bcryptHash(randomName(16));
        }
        return hash;
    }

    private String randomName(int length) {
        char[] name = new char[length];
        for (int i = 0; i < length; i++) {
            name[i] = NAME_ALPHABET[random.nextInt(NAME_ALPHABET.length)];
        }
        return new String(name);
    }
}
