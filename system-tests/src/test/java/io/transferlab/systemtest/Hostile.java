package io.transferlab.systemtest;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Values no id, key or parameter should ever be, shared by the cases of every service. */
final class Hostile {

    private Hostile() {
    }

    /**
     * Path segments that must never reach a store, a database or another service, as they go on the wire (already
     * percent-encoded where a client would encode them; some raw on purpose). Name to segment.
     */
    static Map<String, byte[]> ids() {
        Map<String, String> ascii = new LinkedHashMap<>();
        ascii.put("traversal ..%2F", "..%2F..%2F..%2Fetc%2Fpasswd");
        ascii.put("traversal ..", "..");
        ascii.put("traversal %2e%2e", "%2e%2e");
        ascii.put("traversal ..%5C", "..%5C..%5Cwindows");
        ascii.put("encoded slash", "a%2Fb");
        ascii.put("65 chars", "a".repeat(65));
        ascii.put("300 chars", "r".repeat(300));
        ascii.put("3000 chars", "x".repeat(3000));
        ascii.put("unicode encoded", "r%C3%BCn-%E2%84%A2");
        ascii.put("emoji", "%F0%9F%98%80");
        ascii.put("sql quote", "x'%20OR%20'1'%3D'1");
        ascii.put("sql statement", "1%3BDROP%20TABLE%20runs--");
        ascii.put("nul", "%00");
        ascii.put("nul inside", "run%00.json");
        ascii.put("crlf", "x%0D%0AX-Injected:%20yes");
        ascii.put("invalid utf-8", "%FF%FE");
        ascii.put("bad escape", "%");
        ascii.put("bad escape zz", "%zz");
        ascii.put("hidden", ".staging-x");
        ascii.put("leading dash", "-rf");
        ascii.put("space", "a%20b");
        ascii.put("query in id", "run%3Fx%3D1");
        ascii.put("jndi", "%24%7Bjndi:ldap:%2F%2Fx%7D");
        ascii.put("markup", "%3Cscript%3E");
        Map<String, byte[]> ids = new LinkedHashMap<>();
        ascii.forEach((k, v) -> ids.put(k, v.getBytes(StandardCharsets.US_ASCII)));
        ids.put("raw utf-8 bytes", "r\u00fcn".getBytes(StandardCharsets.UTF_8));
        ids.put("raw control byte", new byte[] {'r', 0x01, 'n'});
        return ids;
    }

    /**
     * Whether the id makes the request target no URI (RFC 3986), which the HTTP layer refuses before any service
     * code runs (see Case#invalidHttp).
     */
    static boolean invalidHttp(String idName) {
        return idName.equals("raw control byte") || idName.startsWith("bad escape");
    }

    /** Whether the id is a dot segment, which the path resolves before routing (RFC 3986 remove_dot_segments). */
    static boolean dotSegment(String idName) {
        return idName.equals("traversal ..") || idName.equals("traversal %2e%2e");
    }

    /** The request target {@code prefix + id + suffix}, byte for byte. */
    static byte[] target(String prefix, byte[] id, String suffix) {
        byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
        byte[] s = suffix.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[p.length + id.length + s.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(id, 0, all, p.length, id.length);
        System.arraycopy(s, 0, all, p.length + id.length, s.length);
        return all;
    }

    /** Authorization header values that are not a valid key (null: no header at all). Name to value. */
    static Map<String, String> authorizations(String validKey) {
        Map<String, String> auth = new LinkedHashMap<>();
        auth.put("no key", null);
        auth.put("empty bearer", "Bearer ");
        auth.put("wrong key", "Bearer not-a-key");
        auth.put("basic scheme", "Basic dXNlcjpwYXNzd29yZA==");
        auth.put("key without scheme", validKey);
        auth.put("near miss", "Bearer " + validKey + "x");
        auth.put("8000-char key", "Bearer " + "k".repeat(8000));
        auth.put("latin-1 key", "Bearer k\u00e9y");
        auth.put("lower-case scheme, wrong key", "bearer " + validKey.toUpperCase(java.util.Locale.ROOT));
        return auth;
    }

    /** Statuses a hostile path segment may get: refused as an id, or not matching any route at all. */
    static Set<Integer> idStatuses() {
        return Set.of(400, 404, 405, 414);
    }
}
