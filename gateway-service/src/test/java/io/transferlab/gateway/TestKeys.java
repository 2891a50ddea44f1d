package io.transferlab.gateway;

import io.restassured.specification.RequestSpecification;

/** The plain keys whose SHA-256 hashes the %test profile configures. */
public final class TestKeys {

    public static final String ALL = "test-key-all";
    public static final String CLASSIFY = "test-key-classify";
    public static final String TRAIN = "test-key-train";

    private TestKeys() {
    }

    public static RequestSpecification as(String key) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + key);
    }
}
