package io.transferlab.commons.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import io.transferlab.contracts.json.Json;
import jakarta.inject.Singleton;

/** HTTP bodies follow the same JSON rules as Kafka payloads: unknown fields are errors, nulls are omitted. */
@Singleton
public class ContractsJsonCustomizer implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        Json.configure(mapper);
    }
}
