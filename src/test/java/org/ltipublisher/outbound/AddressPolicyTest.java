package org.ltipublisher.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every address class the tool must not call, and the ones it may. */
class AddressPolicyTest {

    private final AddressPolicy production = new AddressPolicy(false, List.of());
    private final AddressPolicy tests = new AddressPolicy(true, List.of("127.0.0.1/32", "::1/128"));

    private static InetAddress ip(String literal) {
        return AddressPolicy.literal(literal).orElseThrow(() -> new AssertionError("not a literal: " + literal));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "127.0.0.1", "127.0.0.2", "127.255.255.254", // loopback
            "0.0.0.0", "0.1.2.3", // this network / any-local
            "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.1.1", // RFC 1918
            "169.254.169.254", // link-local (cloud metadata)
            "100.64.0.1", "100.127.255.254", // CGNAT
            "198.18.0.1", "198.19.255.255", // benchmarking
            "192.0.0.8", "192.0.0.170", // IETF protocol assignments
            "192.0.2.1", "198.51.100.7", "203.0.113.9", // documentation
            "224.0.0.251", "239.255.255.250", // multicast
            "240.0.0.1", "255.255.255.255", // reserved, broadcast
            "::", "::1", "fd00::1", "fc00::1", "fdff:ffff::1", // unspecified, loopback, unique-local
            "fe80::1", "febf::1", "fec0::1", // link-local, site-local
            "ff02::1", "2001:db8::1", "3fff::1", "100::1", "2001::1", "64:ff9b:1::1",
            "::ffff:127.0.0.2", "::ffff:10.0.0.1", "::ffff:169.254.169.254", // IPv4-mapped
            "::10.0.0.1", "::192.168.0.1", // IPv4-compatible
            "64:ff9b::10.0.0.1", "64:ff9b::a9fe:a9fe", // NAT64 of private and metadata
            "2002:0a00:0001::1", "2002:7f00:0001::" // 6to4 of private and loopback
    })
    void refusesNonPublicAddresses(String literal) {
        Optional<String> refusal = production.refusal(ip(literal));
        assertTrue(refusal.isPresent(), literal + " must be refused");
    }

    @ParameterizedTest
    @ValueSource(strings = { "93.184.215.14", "8.8.8.8", "1.1.1.1", "100.63.255.255", "100.128.0.1", "172.32.0.1",
            "198.20.0.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "64:ff9b::808:808", "2002:0808:0808::1",
            "::ffff:8.8.8.8" })
    void allowsPublicAddresses(String literal) {
        assertEquals(Optional.empty(), production.refusal(ip(literal)), literal + " is public");
    }

    @Test
    void exemptNetworksAreExactlyTheConfiguredOnes() {
        assertEquals(Optional.empty(), tests.refusal(ip("127.0.0.1")));
        assertEquals(Optional.empty(), tests.refusal(ip("::1")));
        assertTrue(tests.refusal(ip("127.0.0.2")).isPresent(), "only 127.0.0.1/32, not all of 127/8");
        assertTrue(tests.refusal(ip("10.0.0.1")).isPresent());
        AddressPolicy campus = new AddressPolicy(false, List.of("10.20.0.0/16", "fd12:3456::/32"));
        assertEquals(Optional.empty(), campus.refusal(ip("10.20.3.4")));
        assertEquals(Optional.empty(), campus.refusal(ip("fd12:3456::9")));
        assertTrue(campus.refusal(ip("10.21.0.1")).isPresent());
        assertTrue(campus.refusal(ip("fd12:3457::9")).isPresent());
    }

    @Test
    void refusalsNameTheRange() {
        assertTrue(production.refusal(ip("100.64.0.1")).orElseThrow().contains("100.64.0.0/10"));
        assertTrue(production.refusal(ip("fd00::1")).orElseThrow().contains("fc00::/7"));
        assertTrue(production.refusal(ip("::ffff:10.0.0.1")).orElseThrow().contains("10.0.0.0/8"));
    }

    @Test
    void hostsGivenAtRegistration() {
        assertTrue(production.refusalOfHost("localhost").isPresent(), "a name that resolves to loopback");
        assertTrue(production.refusalOfHost("[fd00::1]").isPresent());
        assertTrue(production.refusalOfHost("10.1.2.3").isPresent());
        assertEquals(Optional.empty(), production.refusalOfHost("8.8.8.8"));
        assertEquals(Optional.empty(), production.refusalOfHost("no-such-host.invalid"),
                "an unknown name is accepted: every call checks the address it connects to");
    }
}
