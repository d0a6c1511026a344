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
 * Import and export: Goodreads and StoryGraph CSV, Kindle clippings, BibTeX, the full JSON backup, and an Obsidian
 * vault (export only). Files come as the request body (text/csv, text/plain, application/x-bibtex) or as the
 * {@code file} field of a multipart form. Each importer refuses, with a 400 naming the endpoint to use, a file that
 * is recognizably of another format ({@link ImportFormat}); {@code POST /api/import/detect} says which format a file
 * is in.
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

    @Inject
    StoryGraphImport storyGraphImport;

    @Inject
    StoryGraphExport storyGraphExport;

    @Inject
    KindleImport kindleImport;

    @Inject
    ObsidianVault obsidian;

    /** What {@code POST /api/import/detect} answers: the format's id, what it is in words, and where to send it. */
    public record DetectedFormat(String format, String description, String endpoint, String contentType) {
    }

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
        requireFormat(ImportFormat.GOODREADS, csv, "the Goodreads CSV as the body (Content-Type: text/csv)");
        try {
            return goodreadsImport.importCsv(currentUser.id(), csv, rows -> { });
        } catch (GoodreadsCsv.NotGoodreadsException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @POST
    @Path("/import/storygraph")
    @Consumes({CSV, MediaType.TEXT_PLAIN, "application/csv", "text/comma-separated-values", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a StoryGraph library export (Manage Account > Export StoryGraph Library)",
            description = "Authors split on commas (contributors kept apart), read status (did-not-finish -> abandoned), "
                    + "the star rating exactly in quarter stars, one read-through per 'Dates Read' range, moods, pace "
                    + "(as e.g. fast-paced) and tags as tags, the review. Matches books by the ISBN/UID of an earlier "
                    + "import, ISBN-13, then title and author: importing the same file again creates nothing. Rows that "
                    + "cannot be imported are listed with their row number (header = row 1).")
    public ImportResult importStoryGraph(String csv) {
        return storyGraph(csv);
    }

    @POST
    @Path("/import/storygraph")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importStoryGraphForm(@RestForm("file") FileUpload file) {
        return storyGraph(read(file, "the StoryGraph CSV"));
    }

    private ImportResult storyGraph(String csv) {
        requireFormat(ImportFormat.STORYGRAPH, csv, "the StoryGraph CSV as the body (Content-Type: text/csv)");
        try {
            return storyGraphImport.importCsv(currentUser.id(), csv);
        } catch (StoryGraphCsv.NotStoryGraphException e) {
            throw ProblemException.badRequest(e.getMessage());
        }
    }

    @GET
    @Path("/export/storygraph")
    @Produces(CSV)
    @Operation(summary = "The library as a StoryGraph CSV (the columns of StoryGraph's own export)",
            description = "Importing it again, here or into another account, gives the same books, statuses, exact "
                    + "ratings, read-throughs, tags and reviews. Notes other than a review without stars are not written.")
    public Response exportStoryGraph() {
        return Response.ok(storyGraphExport.exportCsv(currentUser.id()), CSV + "; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"lectern_storygraph_library_export.csv\"").build();
    }

    @POST
    @Path("/import/kindle")
    @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Import a Kindle's highlights and notes (the file documents/My Clippings.txt on the Kindle)",
            description = "Highlights become highlight notes, notes typed on the Kindle idea notes, on the book of the "
                    + "title and author (created when the library has none); with the page when the Kindle gives one and "
                    + "the day added. Bookmarks are skipped, so is the earlier version of a highlight extended on the "
                    + "Kindle. Importing the same file again creates nothing. The counts are clippings; clippings that "
                    + "cannot be imported are listed with their line.")
    public ImportResult importKindle(String text) {
        return kindle(text);
    }

    @POST
    @Path("/import/kindle")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importKindleForm(@RestForm("file") FileUpload file) {
        return kindle(read(file, "My Clippings.txt"));
    }

    private ImportResult kindle(String text) {
        requireFormat(ImportFormat.KINDLE, text, "My Clippings.txt as the body (Content-Type: text/plain)");
        if (ImportFormat.recognize(text) == null) {
            throw ProblemException.badRequest("This is not a Kindle 'My Clippings.txt': it has no '==========' line "
                    + "followed by a clipping like '- Your Highlight on Location 170-172 | Added on ...'; send the "
                    + "file documents/My Clippings.txt from the Kindle");
        }
        return kindleImport.importClippings(currentUser.id(), text);
    }

    @GET
    @Path("/export/obsidian")
    @Produces("application/zip")
    @Operation(summary = "The library as an Obsidian vault (zip): a note per book and paper, a daily note per log day",
            description = "Books/ and Papers/ hold one markdown file each with YAML front matter (title, authors, status, "
                    + "rating, dates, tags, arXiv id, DOI) and the notes as a list with their pages; arXiv ids in notes link "
                    + "to the paper's file. 'Daily notes/YYYY-MM-DD.md' is the day's log in the markdown that PUT "
                    + "/api/logs/{date} reads back.")
    public Response exportObsidian() {
        long owner = currentUser.id();
        jakarta.ws.rs.core.StreamingOutput zip = out -> obsidian.write(owner, out);
        return Response.ok(zip, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"lectern-vault.zip\"").build();
    }

    @POST
    @Path("/import/detect")
    @Consumes({MediaType.TEXT_PLAIN, CSV, BIBTEX, MediaType.APPLICATION_JSON, MediaType.APPLICATION_OCTET_STREAM, "application/csv"})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Which format a file is in, and where to import it",
            description = "Send the file (its first 64 KiB are enough). Answers the format (goodreads, storygraph, kindle, "
                    + "bibtex or backup), the endpoint that imports it and the content type to send; 400 when it is none.")
    public DetectedFormat detect(String text) {
        ImportFormat format = ImportFormat.recognize(text);
        if (format == null) {
            throw ProblemException.badRequest("Lectern cannot tell what this file is. It imports " + ImportFormat.known()
                    + "; send one of those as it was exported");
        }
        return new DetectedFormat(format.id, format.description, format.endpoint, format.contentType);
    }

    /** A 400 for an empty body or a file of another format, naming the endpoint that takes it. */
    private static void requireFormat(ImportFormat format, String text, String what) {
        if (text == null || text.isBlank()) {
            throw ProblemException.badRequest("Send " + what + " or as the 'file' field of a multipart form");
        }
        try {
            ImportFormat.require(format, text);
        } catch (ImportFormat.WrongFormat e) {
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
        requireFormat(ImportFormat.BIBTEX, text, "the .bib file as the body (Content-Type: application/x-bibtex or text/plain)");
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

    @POST
    @Path("/import")
    @Consumes({MediaType.TEXT_PLAIN, CSV, BIBTEX, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public ImportResult importAllAsText(String text) {
        requireFormat(ImportFormat.BACKUP, text, "the JSON document that GET /api/export wrote (Content-Type: application/json)");
        throw ProblemException.badRequest("Send the backup with Content-Type: application/json");
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
