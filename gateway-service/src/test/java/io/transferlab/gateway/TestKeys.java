package io.transferlab.gateway;

import io.restassured.specification.RequestSpecification;

/** The plain keys whose SHA-256 hashes the %test profile configures. */
public final class TestKeys {

    public static final String ALL = "test-key-all";
    public static final String CLASSIFY = "test-key-classify";
    public static final String TRAIN = "test-key-train";
    /** Role train, key name {@code other-trainer}: owns nothing the other keys start. */
    public static final String OTHER_TRAIN = "test-key-other";
    /** Roles train and admin, key name {@code operator}. */
    public static final String ADMIN = "test-key-admin";

    private TestKeys() {
    }

    public static RequestSpecification as(String key) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + key);
    }
}
