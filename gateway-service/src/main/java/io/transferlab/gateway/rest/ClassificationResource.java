package io.transferlab.gateway.rest;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.transferlab.contracts.classify.ClassifyRequest;
import io.transferlab.contracts.model.ModelRef;
import io.transferlab.contracts.validation.ValidationException;
import io.transferlab.contracts.validation.Violations;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.security.Roles;
import io.transferlab.gateway.service.Classification;
import io.transferlab.gateway.service.ClassificationStatus;
import io.transferlab.gateway.service.Classifications;
import io.transferlab.gateway.service.PayloadTooLargeException;
import io.transferlab.gateway.service.TunerQueries;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/classifications")
@Produces(MediaType.APPLICATION_JSON)
public class ClassificationResource {

    static final String PREFER = "Prefer";
    static final String MODEL_PARAMETER = "model id (default imagenet-resnet50), or <id>@<version> for exactly that "
            + "version; without a version the model's production alias when set, else its newest version";

    private final Classifications classifications;
    private final TunerQueries tuner;
    private final long maxImage;

    public ClassificationResource(Classifications classifications, TunerQueries tuner, GatewayConfig config) {
        this.classifications = classifications;
        this.tuner = tuner;
        this.maxImage = config.classify().maxImageSize().asLongValue();
    }

    @POST
    @Blocking
    @Consumes({"image/jpeg", "image/png", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.CLASSIFY)
    @Operation(summary = "Classify an image sent as the raw body",
            description = "The bytes decide the format (JPEG or PNG, by magic number); dimensions are read from the "
                    + "header. Answers 200 with the top-k predictions, or 202 with a Location when the request says "
                    + "'Prefer: respond-async'.")
    @APIResponse(responseCode = "200", description = "the predictions")
    @APIResponse(responseCode = "202", description = "accepted (Prefer: respond-async); poll the Location")
    @APIResponse(responseCode = "400", description = "a model that is no id or id@<positive integer>")
    @APIResponse(responseCode = "404", description = "unknown model or version")
    @APIResponse(responseCode = "413", description = "image larger than the limit (default 8 MB)")
    @APIResponse(responseCode = "415", description = "not a JPEG or PNG")
    @APIResponse(responseCode = "422", description = "image dimensions out of bounds")
    @APIResponse(responseCode = "504", description = "no reply within the timeout")
    @APIResponse(responseCode = "503", description = "Kafka did not take the request")
    public Uni<Response> classifyRaw(InputStream body,
            @Parameter(description = MODEL_PARAMETER) @QueryParam("model") String model,
            @Parameter(description = "how many labels (default 5)") @QueryParam("topK") Integer topK,
            @HeaderParam(PREFER) String prefer, @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) {
        ModelRef ref = modelRef(model, topK);
        Classifications.Permit permit = classifications.admit();
        try {
            byte[] image = BoundedBodies.read(body, maxImage, "an image");
            return answer(permit, image, ref, topK, prefer, correlationId);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.CLASSIFY)
    @Operation(summary = "Classify an image sent as the multipart field 'image'",
            description = "Form fields 'model' (id or <id>@<version>) and 'topK' (or the same query parameters) are "
                    + "optional.")
    public Uni<Response> classifyMultipart(@RestForm("image") FileUpload upload, @RestForm("model") String formModel,
            @RestForm("topK") Integer formTopK, @QueryParam("model") String model, @QueryParam("topK") Integer topK,
            @HeaderParam(PREFER) String prefer, @HeaderParam(CorrelationIdFilter.HEADER) String correlationId) {
        if (upload == null) {
            throw new BadRequestException("the multipart field 'image' (a file) is required");
        }
        if (upload.size() > maxImage) {
            throw new PayloadTooLargeException("the image is " + upload.size() + " bytes; at most " + maxImage
                    + " bytes are accepted");
        }
        ModelRef ref = modelRef(formModel != null ? formModel : model, formTopK != null ? formTopK : topK);
        Classifications.Permit permit = classifications.admit();
        byte[] image;
        try (InputStream in = Files.newInputStream(upload.uploadedFile())) {
            image = BoundedBodies.read(in, maxImage, "an image");
            return answer(permit, image, ref, formTopK != null ? formTopK : topK, prefer, correlationId);
        } catch (IOException e) {
            permit.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            permit.close();
            throw e;
        }
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.CLASSIFY)
    @Operation(summary = "A classification by id",
            description = "PENDING (with Retry-After) until the reply arrives; then COMPLETED with the predictions, "
                    + "FAILED with the error, or TIMED_OUT. Results are kept for the configured retention.")
    @APIResponse(responseCode = "404", description = "unknown or expired id")
    public Response get(@PathParam("id") String id) {
        Classification c = classifications.get(id);
        Response.ResponseBuilder r = Response.ok(c);
        if (c.status() == ClassificationStatus.PENDING) {
            r.header("Retry-After", "1");
        }
        return r.build();
    }

    /**
     * The model the caller named ({@code digits}, {@code digits@3}), or null for the default; read before the
     * image, so that a malformed name (400) costs neither an in-flight place nor reading the body. A bad
     * {@code topK} is reported in the same answer, as the request's other checks would.
     */
    private static ModelRef modelRef(String model, Integer topK) {
        if (model == null || model.isBlank()) {
            return null;
        }
        try {
            return ModelRef.parse(model, "model");
        } catch (ValidationException e) {
            Violations all = new Violations();
            e.violations().forEach(v -> all.add(v.path(), v.message()));
            all.between(topK, "topK", 1, ClassifyRequest.MAX_TOP_K);
            throw new ValidationException(all.list());
        }
    }

    private Uni<Response> answer(Classifications.Permit permit, byte[] image, ModelRef model, Integer topK,
            String prefer, String correlationId) {
        if (prefer != null && prefer.toLowerCase(java.util.Locale.ROOT).contains("respond-async")) {
            // an asynchronous caller would only learn of an unknown model or version by polling: say it now (a
            // synchronous one gets the inference service's UNKNOWN_MODEL as 404 anyway)
            try {
                // on this worker thread (the resource is @Blocking): the broker send below may block
                tuner.requireModel(model == null ? classifications.defaultModel() : model).await()
                        .atMost(java.time.Duration.ofSeconds(15));
            } catch (RuntimeException e) {
                permit.close();
                throw e;
            }
            return classifications.submitAsync(permit, image, model, topK, correlationId)
                    .map(c -> Response.accepted(c).location(URI.create(c.location()))
                            .header("Preference-Applied", "respond-async").build());
        }
        return classifications.classify(permit, image, model, topK, correlationId).map(c -> Response.ok(c).build());
    }
}
