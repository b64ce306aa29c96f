package org.ltipublisher.console;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.ltipublisher.accounts.AccountDtos.PlatformUserView;
import org.ltipublisher.accounts.AccountService;
import org.ltipublisher.legacy.ConsumerDtos.ConsumerView;
import org.ltipublisher.legacy.ConsumerService;
import org.ltipublisher.legacy.Lti11Identity;
import org.ltipublisher.registration.RegistrationDtos.RegistrationView;
import org.ltipublisher.registration.RegistrationService;
import org.ltipublisher.upgrade.Lti11UpgradeService;

/**
 * What the console shows for a platform: an LTI 1.1 consumer with the 1.3 registration it was upgraded to, and the
 * platform behind a platform user's issuer (a 1.3 registration, or the 1.1 consumer that stands in as the issuer).
 */
@ApplicationScoped
public class PlatformNames {

    /** A consumer as the consumers list shows it; {@code registrationId} null when it is not linked to 1.3. */
    public record ConsumerRow(ConsumerView consumer, UUID registrationId, String registrationName) {
    }

    /** A linked platform user with the platform it launches from, in words. */
    public record PlatformUserRow(PlatformUserView user, String platform) {
    }

    private final ConsumerService consumers;
    private final RegistrationService registrations;
    private final Lti11UpgradeService upgrades;
    private final AccountService accounts;

    public PlatformNames(ConsumerService consumers, RegistrationService registrations, Lti11UpgradeService upgrades,
            AccountService accounts) {
        this.consumers = consumers;
        this.registrations = registrations;
        this.upgrades = upgrades;
        this.accounts = accounts;
    }

    public List<ConsumerRow> consumers(String baseUrl) {
        Map<UUID, UUID> linked = upgrades.linkedRegistrations();
        Map<UUID, RegistrationView> byId = linked.isEmpty() ? Map.of() : registrationsById(baseUrl);
        return consumers.list(baseUrl).stream().map(c -> row(c, linked, byId)).toList();
    }

    public ConsumerRow consumer(UUID id, String baseUrl) {
        ConsumerView consumer = consumers.get(id, baseUrl);
        Map<UUID, UUID> linked = upgrades.linkedRegistrations();
        return row(consumer, linked, linked.containsKey(id) ? registrationsById(baseUrl) : Map.of());
    }

    public List<PlatformUserRow> platformUsers(UUID accountId, String baseUrl) {
        List<PlatformUserView> users = accounts.platformUsers(accountId);
        if (users.isEmpty()) {
            return List.of();
        }
        Map<UUID, ConsumerView> consumersById = consumers.list(baseUrl).stream()
                .collect(Collectors.toMap(ConsumerView::id, Function.identity()));
        List<RegistrationView> all = registrations.list(baseUrl);
        return users.stream().map(u -> new PlatformUserRow(u, platform(u.issuer(), consumersById, all))).toList();
    }

    private static String platform(String issuer, Map<UUID, ConsumerView> consumersById,
            List<RegistrationView> registrations) {
        Optional<UUID> consumerId = Lti11Identity.consumerId(issuer);
        if (consumerId.isPresent()) {
            ConsumerView consumer = consumersById.get(consumerId.get());
            return consumer == null ? "LTI 1.1 consumer (deleted)"
                    : "LTI 1.1 consumer “" + consumer.name() + "” (key " + consumer.consumerKey() + ")";
        }
        List<String> names = registrations.stream()
                .filter(r -> r.platform() != null && issuer.equals(r.platform().issuer()))
                .map(r -> "“" + r.name() + "” (client ID " + r.platform().clientId() + ")").toList();
        return names.isEmpty() ? "LTI 1.3, no registration with this issuer now"
                : "LTI 1.3: " + String.join(", ", names);
    }

    private Map<UUID, RegistrationView> registrationsById(String baseUrl) {
        return registrations.list(baseUrl).stream().collect(Collectors.toMap(RegistrationView::id, Function.identity()));
    }

    private static ConsumerRow row(ConsumerView consumer, Map<UUID, UUID> linked, Map<UUID, RegistrationView> byId) {
        UUID registration = linked.get(consumer.id());
        RegistrationView view = registration == null ? null : byId.get(registration);
        return new ConsumerRow(consumer, registration, view == null ? null : view.name());
    }
}
