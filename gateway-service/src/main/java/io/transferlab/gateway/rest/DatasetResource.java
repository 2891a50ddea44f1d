package io.transferlab.gateway.rest;

import io.quarkus.security.Authenticated;
import io.transferlab.contracts.dataset.DatasetManifest;
import io.transferlab.gateway.config.GatewayConfig;
import io.transferlab.gateway.metrics.GatewayMetrics;
import io.transferlab.gateway.security.Roles;
import io.transferlab.gateway.service.UploadedDatasets;
import io.transferlab.gateway.service.DatasetImporter;
import io.transferlab.gateway.service.InvalidDatasetException;
import io.transferlab.gateway.service.PayloadTooLargeException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

@Path("/api/v1/datasets")
@Produces(MediaType.APPLICATION_JSON)
public class DatasetResource {

    private final DatasetImporter importer;
    private final UploadedDatasets catalog;
    private final GatewayMetrics metrics;
    private final long maxUpload;

    public DatasetResource(DatasetImporter importer, UploadedDatasets catalog, GatewayMetrics metrics,
            GatewayConfig config) {
        this.importer = importer;
        this.catalog = catalog;
        this.metrics = metrics;
        this.maxUpload = config.datasets().maxUploadSize().asLongValue();
    }

    @POST
    @Consumes({"application/zip", "application/x-zip-compressed", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.TRAIN)
    @Operation(summary = "Upload a data set: a zip with one folder per class of JPEG/PNG images",
            description = "Stored under the data directory as uploads/<id>/<class>/<image> with a dataset.json "
                    + "manifest; use it in a run spec as \"dataset\": \"dataset:<id>\". Entries that are not images "
                    + "in a class folder are skipped and listed.")
    @APIResponse(responseCode = "201", description = "stored; the manifest")
    @APIResponse(responseCode = "400", description = "not a zip, unsafe entry paths (zip-slip), fewer than two classes")
    @APIResponse(responseCode = "413", description = "archive, an entry or the inflated total over its limit")
    public Response uploadRaw(InputStream body, @QueryParam("name") String name) {
        java.nio.file.Path spooled = spoolTarget();
        try {
            BoundedBodies.spool(body, spooled, maxUpload, "a data set archive");
            return store(spooled, name);
        } catch (PayloadTooLargeException e) {
            metrics.datasetUpload("too-large");
            throw e;
        } finally {
            deleteQuietly(spooled);
        }
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Roles.TRAIN)
    @Operation(summary = "Upload a data set as the multipart field 'file' (optional field 'name')")
    public Response uploadMultipart(@RestForm("file") FileUpload file, @RestForm("name") String formName,
            @QueryParam("name") String name) {
        if (file == null) {
            throw new BadRequestException("the multipart field 'file' (a zip) is required");
        }
        if (file.size() > maxUpload) {
            metrics.datasetUpload("too-large");
            throw new PayloadTooLargeException("the archive is " + file.size() + " bytes; at most " + maxUpload
                    + " bytes are accepted");
        }
        return store(file.uploadedFile(), formName != null ? formName : name);
    }

    @GET
    @Authenticated
    @Operation(summary = "Uploaded data sets, newest first")
    public List<DatasetManifest> list() {
        return catalog.list();
    }

    @GET
    @Path("/{id}")
    @Authenticated
    @Operation(summary = "One data set: classes, counts, rejected entries with reasons")
    @APIResponse(responseCode = "404", description = "no such data set")
    public DatasetManifest get(@PathParam("id") String id) {
        return catalog.get(id);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.TRAIN)
    @Operation(summary = "Delete an uploaded data set",
            description = "Removes the folder and its manifest at once; runs that already read the set are not "
                    + "affected, later runs naming it fail with UNKNOWN_DATASET.")
    @APIResponse(responseCode = "204", description = "deleted")
    @APIResponse(responseCode = "400", description = "not a data set id")
    @APIResponse(responseCode = "404", description = "no such data set")
    public Response delete(@PathParam("id") String id) {
        if (!UploadedDatasets.isWellFormed(id)) {
            throw new BadRequestException("'" + id + "' is not a data set id (letters, digits, '.', '_', '-'; e.g. "
                    + "ds-20261128-101500-5e6f7a8b)");
        }
        importer.delete(id);
        return Response.noContent().build();
    }

    private Response store(java.nio.file.Path zip, String name) {
        if (name != null && name.length() > 200) {
            throw new BadRequestException("name must be at most 200 characters");
        }
        try {
            DatasetManifest manifest = importer.importZip(zip, name);
            metrics.datasetUpload("stored");
            return Response.created(UriBuilder.fromPath("/api/v1/datasets/" + manifest.id()).build())
                    .entity(manifest).build();
        } catch (InvalidDatasetException e) {
            metrics.datasetUpload("rejected");
            throw e;
        } catch (PayloadTooLargeException e) {
            metrics.datasetUpload("too-large");
            throw e;
        }
    }

    private java.nio.file.Path spoolTarget() {
        try {
            java.nio.file.Path incoming = importer.uploadsDir().resolve(".incoming");
            Files.createDirectories(incoming);
            return Files.createTempFile(incoming, "upload-", ".zip");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spool the upload under " + importer.uploadsDir(), e);
        }
    }

    private static void deleteQuietly(java.nio.file.Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file in .incoming is harmless and named as such
        }
    }
}
