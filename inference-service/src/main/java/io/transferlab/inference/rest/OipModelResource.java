package io.transferlab.inference.rest;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.common.annotation.Blocking;
import io.transferlab.commons.security.AuthProblemMappers;
import io.transferlab.contracts.ErrorCode;
import io.transferlab.contracts.ErrorInfo;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.inference.config.InferenceConfig;
import io.transferlab.inference.metrics.InferenceMetrics;
import io.transferlab.inference.metrics.InferenceMetrics.Transport;
import io.transferlab.inference.rest.oip.InferResponse;
import io.transferlab.inference.rest.oip.ModelMetadata;
import io.transferlab.inference.rest.oip.ModelReady;
import io.transferlab.inference.rest.oip.TensorMetadata;
import io.transferlab.inference.security.InferenceApiKeys;
import io.transferlab.inference.service.ClassificationService;
import io.transferlab.inference.service.ModelDescription;
import io.transferlab.inference.service.ModelSource;
import io.transferlab.inference.service.Submission;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Open Inference Protocol v2 model endpoints (KServe / Triton REST), for the model
 * ({@code /v2/models/{name}/...}: the version its production alias names, else the newest) and for one version
 * ({@code /v2/models/{name}/versions/{version}/...}). Inference goes through the same model cache and dynamic batcher
 * as Kafka requests; a full queue answers 503 at once (HTTP clients retry, Kafka waits).
 */
@Path("/v2/models/{name}")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(InferenceApiKeys.CLASSIFY)
public class OipModelResource {

    private static final long VARIABLE = -1;

    private final ClassificationService classification;
    private final ModelSource models;
    private final InferenceMetrics metrics;
    private final int maxImages;
    private final long maxRequest;

    public OipModelResource(ClassificationService classification, ModelSource models, InferenceMetrics metrics,
            InferenceConfig config) {
        this.classification = classification;
        this.models = models;
        this.metrics = metrics;
        this.maxImages = config.maxImagesPerRequest();
        this.maxRequest = config.maxRequestSize().asLongValue();
    }

    /** The model: every version; {@code parameters.aliases} names the version each alias points at. */
    @GET
    @Blocking
    public ModelMetadata metadata(@PathParam("name") String name) {
        Map<String, Integer> aliases = classification.aliases().aliases(name);
        return metadata(name, describe(name), aliases.isEmpty() ? null : aliases);
    }

    /** One version of the model (the protocol's {@code /v2/models/{name}/versions/{version}}). */
    @GET
    @Path("versions/{version}")
    @Blocking
    public ModelMetadata versionMetadata(@PathParam("name") String name, @PathParam("version") String version) {
        return metadata(name, describe(name, version(version)), null);
    }

    private static ModelMetadata metadata(String name, ModelDescription d, Map<String, Integer> aliases) {
        List<TensorMetadata> outputs = new ArrayList<>(List.of(
                new TensorMetadata(InferRequest.LABELS, "BYTES", List.of(VARIABLE, VARIABLE)),
                new TensorMetadata(InferRequest.SCORES, "FP32", List.of(VARIABLE, VARIABLE)),
                new TensorMetadata(InferRequest.CLASS_INDICES, "INT64", List.of(VARIABLE, VARIABLE))));
        if (d.synsets() != null) {
            outputs.add(new TensorMetadata(InferRequest.SYNSETS, "BYTES", List.of(VARIABLE, VARIABLE)));
        }
        outputs.add(new TensorMetadata(InferRequest.PROBABILITIES, "FP32", List.of(VARIABLE, (long) d.labels().size())));
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("image_size", d.imageSize());
        parameters.put("classes", d.labels().size());
        parameters.put("top_k_default", InferRequest.DEFAULT_TOP_K);
        if (aliases != null) {
            parameters.put("aliases", aliases);
        }
        if (d.unavailableReason() != null) {
            parameters.put("unavailable", d.unavailableReason());
        }
        return new ModelMetadata(name, d.versions().stream().map(String::valueOf).toList(), d.platform(),
                List.of(new TensorMetadata(InferRequest.INPUT, "BYTES", List.of(VARIABLE))), outputs, parameters);
    }

    /**
     * Loads the version unpinned requests get (the production alias's, else the newest) when it is not loaded yet,
     * so that "ready" means the next inference needs no load.
     */
    @GET
    @Path("ready")
    @Blocking
    public Response ready(@PathParam("name") String name) {
        describe(name);
        return ready(name, ModelRef.unpinned(name));
    }

    /** As {@link #ready(String)} for one version. */
    @GET
    @Path("versions/{version}/ready")
    @Blocking
    public Response versionReady(@PathParam("name") String name, @PathParam("version") String version) {
        int v = version(version);
        describe(name, v);
        return ready(name, new ModelRef(name, v));
    }

    private Response ready(String name, ModelRef model) {
        try {
            classification.lease(model).close();
            return Response.ok(new ModelReady(name, true, null)).build();
        } catch (RuntimeException e) {
            OipException failure = OipErrors.of(e);
            if (failure.code() == ErrorCode.UNKNOWN_MODEL) {
                throw failure;
            }
            return Response.status(400).entity(new ModelReady(name, false, failure.getMessage())).build();
        }
    }

    /** Inference with the version unpinned requests get: the production alias's when set, else the newest. */
    @POST
    @Path("infer")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public CompletionStage<Response> infer(@PathParam("name") String name, InputStream body) {
        return infer(name, () -> ModelRef.unpinned(name), body);
    }

    /** Inference with exactly one version; {@code model_version} of the answer names it. */
    @POST
    @Path("versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    public CompletionStage<Response> versionInfer(@PathParam("name") String name,
            @PathParam("version") String version, InputStream body) {
        return infer(name, () -> new ModelRef(name, version(version)), body);
    }

    private CompletionStage<Response> infer(String name, Supplier<ModelRef> model, InputStream body) {
        long received = System.nanoTime();
        try {
            ModelRef ref = model.get();
            InferRequest request = InferRequest.parse(read(body), maxImages);
            boolean everyClass = request.wants(InferRequest.PROBABILITIES);
            Submission submission = classification.submit(ref, request.images(),
                    everyClass ? Integer.MAX_VALUE : request.topK(), Duration.ZERO);
            return submission.outcomes().handle((outcomes, failure) -> {
                if (failure != null) {
                    return failed(OipErrors.of(failure), received);
                }
                InferResponse response = InferResponses.build(name, request, submission, outcomes);
                metrics.request(Transport.HTTP, null, System.nanoTime() - received);
                return Response.ok(response).build();
            });
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failed(OipErrors.of(e), received));
        }
    }

    /** A version in a path: a positive integer (400 otherwise, like a malformed pin). */
    private static int version(String text) {
        try {
            return ModelRef.parseVersion(text, "version");
        } catch (ValidationException e) {
            throw OipException.badRequest(e.getMessage());
        }
    }

    /** The body, counted as it streams in: a chunked one has no declared length for a filter to refuse. */
    private byte[] read(InputStream body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        byte[] buf = new byte[64 * 1024];
        try {
            int n;
            while ((n = body.read(buf)) != -1) {
                if (out.size() + (long) n > maxRequest) {
                    throw new OipException(413, ErrorCode.INVALID_SPEC, "the request body is larger than "
                            + maxRequest + " bytes; send fewer or smaller images per request");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw OipException.badRequest("the request body could not be read: " + e.getMessage());
        }
        return out.toByteArray();
    }

    private Response failed(OipException e, long received) {
        metrics.request(Transport.HTTP, ErrorInfo.of(e.code(), e.getMessage()), System.nanoTime() - received);
        return OipErrors.response(e);
    }

    private ModelDescription describe(String name) {
        return models.describe(name).orElseThrow(() -> new OipException(404, ErrorCode.UNKNOWN_MODEL,
                "model '" + name + "' is unknown: it is not in the model store"));
    }

    private ModelDescription describe(String name, int version) {
        ModelDescription model = describe(name);
        return models.describe(name, version).orElseThrow(() -> new OipException(404, ErrorCode.UNKNOWN_MODEL,
                "model '" + name + "' has no version " + version + " (its versions: " + model.versions() + ")"));
    }

    /** Missing or wrong keys and roles answer 401/403 like every service, not through the catch-all below. */
    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class, ForbiddenException.class})
    public Response security(RuntimeException e) {
        return AuthProblemMappers.problem(e);
    }

    /** Keeps this resource's errors in the protocol's shape even when something unexpected fails. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return OipErrors.response(OipErrors.of(e));
    }
}
