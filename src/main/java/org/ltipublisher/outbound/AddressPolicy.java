package org.ltipublisher.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;
import io.netty.util.NetUtil;

/**
 * Which addresses the tool may call: public unicast only. Platform URLs come from administrators,
 * browsers (dynamic registration) and launch claims (AGS/NRPS endpoints, lis_outcome_service_url), so
 * without this a launch could make the tool send its bearer token, or a registration page make it probe,
 * anything on the tool's own network. Refused: the special-purpose ranges of the IANA IPv4 and IPv6
 * Special-Purpose Address Registries (RFC 6890) that are not globally reachable, plus multicast and
 * documentation ranges, also when an IPv4 address is embedded in IPv6 (mapped, compatible, NAT64, 6to4).
 * {@code lti.outbound.allowed-networks} exempts networks the operator names.
 */
@ApplicationScoped
public class AddressPolicy {

    private record Block(IpSubnetFilterRule rule, String cidr, String what) {
        boolean contains(InetAddress address) {
            return rule.matches(new InetSocketAddress(address, 0));
        }
    }

    private static final List<Block> REFUSED = List.of(
            block("0.0.0.0/8", "a 'this network' address (RFC 791)"),
            block("10.0.0.0/8", "a private network address (RFC 1918)"),
            block("100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)"),
            block("127.0.0.0/8", "a loopback address (RFC 1122)"),
            block("169.254.0.0/16", "a link-local address (RFC 3927)"),
            block("172.16.0.0/12", "a private network address (RFC 1918)"),
            block("192.0.0.0/24", "an IETF protocol assignment (RFC 6890)"),
            block("192.0.2.0/24", "a documentation address (RFC 5737)"),
            block("192.88.99.0/24", "a 6to4 relay anycast address (RFC 7526)"),
            block("192.168.0.0/16", "a private network address (RFC 1918)"),
            block("198.18.0.0/15", "a benchmarking address (RFC 2544)"),
            block("198.51.100.0/24", "a documentation address (RFC 5737)"),
            block("203.0.113.0/24", "a documentation address (RFC 5737)"),
            block("224.0.0.0/4", "a multicast address (RFC 5771)"),
            block("240.0.0.0/4", "a reserved or broadcast address (RFC 1112, RFC 919)"),
            block("::/128", "the unspecified address (RFC 4291)"),
            block("::1/128", "a loopback address (RFC 4291)"),
            block("64:ff9b:1::/48", "a local-use NAT64 address (RFC 8215)"),
            block("100::/64", "a discard-only address (RFC 6666)"),
            block("2001::/23", "an IETF protocol assignment (RFC 2928)"),
            block("2001:db8::/32", "a documentation address (RFC 3849)"),
            block("3fff::/20", "a documentation address (RFC 9637)"),
            block("fc00::/7", "a unique-local address (RFC 4193)"),
            block("fe80::/10", "a link-local address (RFC 4291)"),
            block("fec0::/10", "a site-local address (RFC 3879)"),
            block("ff00::/8", "a multicast address (RFC 4291)"));

    private final boolean allowHttp;
    private final List<Block> exempt;

    @Inject
    public AddressPolicy(OutboundConfig config) {
        this(config.allowHttp(), config.allowedNetworks().orElse(List.of()));
    }

    public AddressPolicy(boolean allowHttp, List<String> allowedNetworks) {
        this.allowHttp = allowHttp;
        List<Block> networks = new ArrayList<>();
        for (String cidr : allowedNetworks) {
            if (!cidr.isBlank()) {
                networks.add(block(cidr.trim(), "exempt by lti.outbound.allowed-networks"));
            }
        }
        this.exempt = List.copyOf(networks);
    }

    /** Whether http:// (not only https://) may be called (Core §3: LTI URLs are https; http for development). */
    public boolean allowsHttp() {
        return allowHttp;
    }

    /** Why the tool must not connect to this address, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        for (Block network : exempt) {
            if (network.contains(address)) {
                return Optional.empty();
            }
        }
        Optional<InetAddress> embedded = embeddedIpv4(address);
        if (embedded.isPresent()) {
            return refusal(embedded.get()).map(why -> address.getHostAddress() + " embeds " + why);
        }
        for (Block block : REFUSED) {
            if (block.contains(address)) {
                return Optional.of(address.getHostAddress() + " is " + block.what() + " in " + block.cidr());
            }
        }
        return Optional.empty();
    }

    /** The address a host name literally is (an IPv4 or IPv6 literal), or empty for a DNS name. */
    public static Optional<InetAddress> literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(bare);
        if (address == null && bare.contains(":")) {
            try {
                address = InetAddress.getByName(bare); // forms Netty does not parse (64:ff9b::1.2.3.4); never DNS
            } catch (UnknownHostException | SecurityException e) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(address);
    }

    /**
     * Why a host given now (manual registration) will never be called, or empty when it may be. A name
     * that does not resolve is accepted: DNS may not be ready yet, and every call checks the addresses
     * it connects to anyway.
     */
    public Optional<String> refusalOfHost(String host) {
        Optional<InetAddress> literal = literal(host);
        if (literal.isPresent()) {
            return refusal(literal.get());
        }
        try {
            List<String> reasons = new ArrayList<>();
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress address : all) {
                refusal(address).ifPresent(reasons::add);
            }
            return reasons.size() == all.length && !reasons.isEmpty()
                    ? Optional.of(host + " resolves to " + String.join(", ", reasons))
                    : Optional.empty();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (RFC 6052) or 6to4 (RFC 3056) IPv6 address. */
    private static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        if (allZero(b, 0, 10) && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff)
                || (b[10] == 0 && b[11] == 0 && !allZero(b, 12, 15)))) {
            v4 = Arrays.copyOfRange(b, 12, 16); // ::ffff:a.b.c.d and ::a.b.c.d (not :: or ::1)
        } else if (b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && allZero(b, 4, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16); // 64:ff9b::a.b.c.d
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6); // 2002:aabb:ccdd::
        }
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return Optional.empty(); // four bytes are always a valid address
        }
    }

    private static boolean allZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Block block(String cidr, String what) {
        int slash = cidr.indexOf('/');
        String ip = slash < 0 ? cidr : cidr.substring(0, slash);
        InetAddress network = literal(ip).orElseThrow(() -> new IllegalArgumentException(
                "'" + cidr + "' is not a network in CIDR notation (e.g. 10.20.0.0/16 or fd12::/64)"));
        int prefix = slash < 0 ? network.getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        return new Block(new IpSubnetFilterRule(network, prefix, IpFilterRuleType.REJECT), cidr, what);
    }
}
