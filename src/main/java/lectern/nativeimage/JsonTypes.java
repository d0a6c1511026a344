package lectern.nativeimage;

import io.quarkus.runtime.annotations.RegisterForReflection;
import lectern.accounts.AuthResource;
import lectern.accounts.SessionResource;
import lectern.api.ListQuery;
import lectern.api.Problem;
import lectern.api.UserLabelled;
import lectern.books.BookDetails;
import lectern.books.BookPatch;
import lectern.books.BookStatus;
import lectern.books.BookViews;
import lectern.books.BooksResource;
import lectern.books.NewBooks;
import lectern.books.Position;
import lectern.books.Reading;
import lectern.books.ReadingDates;
import lectern.llm.ClassifierTraining;
import lectern.llm.GenerationSettings;
import lectern.llm.LabelMonitor;
import lectern.llm.LlmResource;
import lectern.llm.ModelJob;
import lectern.llm.ModelResource;
import lectern.llm.ServedModel;
import lectern.llm.SummarySources;
import lectern.logs.LogDigest;
import lectern.logs.LogItemsSaved;
import lectern.logs.LogResource;
import lectern.logs.LogView;
import lectern.logs.ParsedLog;
import lectern.logs.Section;
import lectern.notes.NoteKind;
import lectern.notes.NoteService;
import lectern.notes.NotesResource;
import lectern.papers.ArxivId;
import lectern.papers.Doi;
import lectern.papers.PaperReferences;
import lectern.papers.PaperResource;
import lectern.papers.PaperStatus;
import lectern.stats.GoalProgress;
import lectern.stats.GoalsResource;
import lectern.stats.PagesRead;
import lectern.stats.ReadingPace;
import lectern.stats.StatsResource;
import lectern.transfer.Backup;
import lectern.transfer.BibtexFile;
import lectern.transfer.GoodreadsCsv;
import lectern.transfer.GoodreadsRow;
import lectern.transfer.ImportFormat;
import lectern.transfer.ImportResult;
import lectern.transfer.KindleClippings;
import lectern.transfer.StoryGraphCsv;
import lectern.transfer.StoryGraphRow;
import lectern.transfer.TransferResource;

/**
 * Every record and enum of the app (outside {@code lectern.gpt}, which does no reflective JSON), registered for
 * reflection so that Jackson can read and write them in a native image. Registering one too many costs a few
 * bytes; one too few is a runtime error in the native binary only. NativeImageConfigTest fails when a record or
 * enum is added to the app and not listed here.
 */
@RegisterForReflection(targets = {
        // api
        Problem.class, Problem.FieldError.class, lectern.api.LabelledItems.Unlabelled.class,
        lectern.api.LabelledItems.UserLabel.class,
        // accounts
        AuthResource.SignupPolicy.class, AuthResource.SignupRequest.class, AuthResource.UserView.class,
        AuthResource.TokenRequest.class, AuthResource.TokenView.class, SessionResource.SessionRequest.class,
        AuthResource.DeleteAccountRequest.class, lectern.accounts.AccountDeleted.class,
        ListQuery.Page.class, ListQuery.Found.class,
        // books
        BookStatus.class, BookPatch.class, Position.class, Reading.Status.class,
        BookViews.CurrentReading.class, BookViews.BookView.class,
        BooksResource.NewBook.class, BooksResource.StatusChange.class, BooksResource.NewProgress.class,
        BooksResource.ProgressView.class, BooksResource.ReadingView.class, BooksResource.NewBookNote.class,
        BooksResource.ReviewRequest.class, BooksResource.ReviewView.class, NewBooks.NewBook.class, ReadingDates.class, BookDetails.class,
        // papers
        PaperStatus.class, ArxivId.class, Doi.class,
        PaperResource.CreatePaper.class, PaperResource.UpdatePaper.class, PaperResource.AddNote.class,
        PaperResource.PaperView.class, PaperReferences.Reference.class, PaperReferences.CitingPaper.class,
        // notes
        NoteKind.class, NoteService.NewNote.class, NoteService.NoteView.class, NotesResource.NotePatch.class,
        // logs
        Section.class, ParsedLog.class, LogItemsSaved.class, UserLabelled.class,
        LogDigest.class, LogDigest.LabelCount.class, LogDigest.SectionDigest.class, LogView.class, LogView.Item.class,
        LogResource.LogBody.class, LogResource.LabelBody.class,
        // stats
        ReadingPace.class, GoalProgress.class, PagesRead.Entry.class,
        GoalsResource.GoalRequest.class, GoalsResource.GoalView.class,
        StatsResource.CurrentBook.class, StatsResource.StatsView.class,
        // llm
        GenerationSettings.class, SummarySources.Source.class, SummarySources.Part.class, LlmResource.KeyIdea.class,
        ServedModel.DeviceChoice.class, ServedModel.Info.class, ServedModel.Classification.class,
        ServedModel.Generation.class,
        LlmResource.ClassifyRequest.class, LlmResource.ClassifyResponse.class,
        LlmResource.GenerateRequest.class, LlmResource.GenerateResponse.class,
        LlmResource.SummarizeRequest.class, LlmResource.SummarizeResponse.class,
        ModelResource.ModelView.class, ModelResource.RetrainAccepted.class, ModelResource.JobView.class,
        ModelJob.Status.class, ClassifierTraining.LabelledText.class, ClassifierTraining.Report.class,
        ClassifierTraining.Result.class, LabelMonitor.Figures.class, ServedModel.Summarizer.class,
        // transfer
        Backup.class, Backup.BibtexEntry.class, Backup.BookEntry.class, Backup.GoalEntry.class, Backup.GoodreadsEntry.class, Backup.StoryGraphEntry.class, Backup.KindleEntry.class,
        Backup.LogEntry.class, Backup.LogItemEntry.class, Backup.NoteEntry.class, Backup.PaperEntry.class,
        Backup.ProgressEntry.class, Backup.ReadingEntry.class, Backup.ReviewEntry.class,
        BibtexFile.Entry.class, BibtexFile.ExportEntry.class, BibtexFile.ParsedFile.class,
        GoodreadsCsv.ParsedFile.class, GoodreadsRow.class, ImportResult.class, ImportResult.Failure.class,
        ImportFormat.class, TransferResource.DetectedFormat.class, StoryGraphCsv.ParsedFile.class, StoryGraphRow.class,
        StoryGraphRow.ReadRange.class, KindleClippings.Kind.class, KindleClippings.Clipping.class,
        KindleClippings.ParsedFile.class
}, classNames = {
        // package-private records, named because they cannot be referenced from here
        "lectern.transfer.NewGoodreadsBooks$NewBook",
        "lectern.transfer.ImportedBooks$Outcome", "lectern.transfer.CsvRecords$Line", "lectern.transfer.CsvRecords$Cells",
        "lectern.llm.StoredClassifier", "lectern.llm.UserClassifiers$Cached", "lectern.llm.ClassifierMemory$Report",
        "lectern.llm.UserClassifiers$Used", "lectern.llm.UserClassifiers$Serving",
        "lectern.accounts.SignInThrottle$Failures", "lectern.accounts.SignInThrottle$Counted",
        "lectern.accounts.SignInThrottle$Try",
        // never JSON, but a record like the others; registering it costs nothing and keeps the rule simple
        "lectern.accounts.TokenCache$Entry"
})
public final class JsonTypes {

    private JsonTypes() {
    }
}
