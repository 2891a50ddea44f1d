package io.transferlab.contracts;

import java.security.SecureRandom;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.HexFormat;

/**
 * New ids for runs, studies and requests: {@code <prefix>-<UTC yyyyMMdd-HHmmss>-<8 hex>}. They sort by creation
 * time, read well in logs and SQL, and are valid Kafka keys and folder names.
 */
public final class Ids {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String newId(String prefix) {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + STAMP.format(Instant.now()) + "-" + HexFormat.of().formatHex(bytes);
    }

    public static String newRunId() {
        return newId("run");
    }

    public static String newStudyId() {
        return newId("study");
    }

    public static String newRequestId() {
        return newId("req");
    }
}
