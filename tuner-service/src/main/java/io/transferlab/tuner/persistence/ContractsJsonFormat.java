package io.transferlab.tuner.persistence;

import io.quarkus.hibernate.orm.JsonFormat;
import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.transferlab.contracts.json.Json;
import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;
import org.hibernate.type.format.jackson.JacksonJsonFormatMapper;

/**
 * The JSON columns ({@code @JdbcTypeCode(SqlTypes.JSON)}) are read and written with the contracts' own mapper, so
 * a spec or confusion matrix reads back from PostgreSQL exactly as it reads from Kafka.
 */
@JsonFormat
@PersistenceUnitExtension
public class ContractsJsonFormat implements FormatMapper {

    private final FormatMapper delegate = new JacksonJsonFormatMapper(Json.mapper());

    @Override
    public <T> T fromString(CharSequence json, JavaType<T> type, WrapperOptions options) {
        return delegate.fromString(json, type, options);
    }

    @Override
    public <T> String toString(T value, JavaType<T> type, WrapperOptions options) {
        return delegate.toString(value, type, options);
    }
}
