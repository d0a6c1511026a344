package lectern.transfer;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import lectern.accounts.CurrentUser;
import lectern.api.ProblemException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Import and export: Goodreads CSV, BibTeX, and the full JSON backup. Files come as the request body
 * (text/csv, text/plain, application/x-bibtex) or as the {@code file} field of a multipart form.
 */
@Path("/api")
@Tag(name = "Import and export")
public class TransferResource {

    static final String BIBTEX = "application/x-bibtex";
    static final String CSV = "text/csv";

    @Inject
    CurrentUser currentUser;

    @Inject
    GoodreadsImport goodreadsImport;

    @Inject
    GoodreadsExport goodreadsExport;

    @Inject
    BibtexTransfer bibtex;

    @Inject
    BackupService backups;

    @POST
    @Path("/import/goodreads")
    @Consumes({CSV, MediaType.TEXT_PLAIN, "application/csv", "text/comma-separated-values", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a Goodreads library export (My Books > Import and export > Export Library)",
            description = "Matches books by Goodreads Book Id, ISBN-13, then title and author: importing the same file "
                    + "again creates nothing. Rows that cannot be imported are listed with their row number (header = row 1).")
    public ImportResult importGoodreads(String csv) {
        return goodreads(csv);
    }

    @POST
    @Path("/import/goodreads")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importGoodreadsForm(@RestForm("file") FileUpload file) {
        return goodreads(read(file, "the Goodreads CSV"));
    }

    private ImportResult goodreads(String csv) {
        if (csv == null || csv.isBlank()) {
            throw ProblemException.badRequest("Send the Goodreads CSV as the body (Content-Type: text/csv) "
                    + "or as the 'file' field of a multipart form");
        }
        try {
            return goodreadsImport.importCsv(currentUser.id(), csv, rows -> { });
        } catch (GoodreadsCsv.NotGoodreadsException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("/export/goodreads")
    @Produces(CSV)
    @Operation(summary = "The library as a Goodreads CSV (Goodreads' newest columns)")
    public Response exportGoodreads() {
        return Response.ok(goodreadsExport.exportCsv(currentUser.id()), CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"lectern_goodreads_library_export.csv\"").build();
    }

    @POST
    @Path("/import/bibtex")
    @Consumes({BIBTEX, "text/x-bibtex", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import papers from a .bib file",
            description = "@article, @misc, @inproceedings, @book and the like; other entry types are skipped. Papers with "
                    + "the same arXiv id or DOI are merged. Entries that cannot be imported are listed with their line.")
    public ImportResult importBibtex(String text) {
        return bib(text);
    }

    @POST
    @Path("/import/bibtex")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importBibtexForm(@RestForm("file") FileUpload file) {
        return bib(read(file, "the .bib file"));
    }

    private ImportResult bib(String text) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badRequest("Send the .bib file as the body (Content-Type: application/x-bibtex "
                    + "or text/plain) or as the 'file' field of a multipart form");
        }
        return bibtex.importBib(currentUser.id(), text);
    }

    @GET
    @Path("/export/bibtex")
    @Produces(BIBTEX)
    @Operation(summary = "The papers as BibTeX in arXiv's style (eprint, archivePrefix, primaryClass)")
    public Response exportBibtex() {
        return Response.ok(bibtex.exportBib(currentUser.id()), BIBTEX + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"lectern.bib\"").build();
    }

    @GET
    @Path("/export")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The whole account as one JSON document (books, read-throughs, progress, reviews, notes, "
            + "papers, references, logs, goals)")
    public Response exportAll() {
        return Response.ok(backups.export(currentUser.id()))
                .header("Content-Disposition", "attachment; filename=\"lectern-backup.json\"").build();
    }

    @POST
    @Path("/import")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a backup made by GET /api/export into this account",
            description = "All or nothing. What the account already has (same ISBN or title and author, same arXiv id or "
                    + "DOI, a log of the same day, a goal for the same year) is skipped.")
    public ImportResult importAll(@Valid Backup backup) {
        if (backup == null) {
            throw ProblemException.badRequest("Send the JSON document that GET /api/export wrote");
        }
        try {
            return backups.restore(currentUser.id(), backup, done -> { });
        } catch (BackupService.BackupRefused e) {
            throw ProblemException.badRequest(e.getMessage());
        } catch (jakarta.persistence.PersistenceException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw ProblemException.badRequest("The backup holds data the database refused (nothing was restored): "
                    + String.valueOf(root.getMessage()).split("\\R", 2)[0]);
        }
    }

    private static String read(FileUpload file, String what) {
        if (file == null) {
            throw ProblemException.badRequest("Send " + what + " as the 'file' field of the form");
        }
        try {
            return Files.readString(file.uploadedFile(), StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw ProblemException.badRequest(what + " is not UTF-8 text; save it as UTF-8 and send it again");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
