package lectern.books;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A partial update: only the fields present in the JSON change; a field sent as null is cleared
 * (title cannot be). Jackson calls a setter only for a field that is present, which is how presence
 * is told apart from absence.
 */
public class BookPatch {

    @NotNull
    private Long version;
    @Size(min = 1, max = 500)
    private String title;
    @Size(max = 50)
    private List<@NotBlank @Size(max = 300) String> authors;
    private String isbn13;
    @Min(1)
    @Max(Book.MAX_PAGES)
    private Integer pages;
    private Integer year;
    @Size(max = 300)
    private String publisher;
    @Size(max = 50)
    private List<@NotBlank @Size(max = 50) String> tags;
    private BookStatus status;

    private final Set<String> present = new HashSet<>();

    public boolean has(String field) {
        return present.contains(field);
    }

    public Long getVersion() {
        return version;
    }

    public void setVersion(Long version) {
        this.version = version;
    }

    public String getTitle() {
        return title;
    }

    public void setTitle(String title) {
        this.title = title;
        present.add("title");
    }

    public List<String> getAuthors() {
        return authors;
    }

    public void setAuthors(List<String> authors) {
        this.authors = authors;
        present.add("authors");
    }

    public String getIsbn13() {
        return isbn13;
    }

    public void setIsbn13(String isbn13) {
        this.isbn13 = isbn13;
        present.add("isbn13");
    }

    public Integer getPages() {
        return pages;
    }

    public void setPages(Integer pages) {
        this.pages = pages;
        present.add("pages");
    }

    public Integer getYear() {
        return year;
    }

    public void setYear(Integer year) {
        this.year = year;
        present.add("year");
    }

    public String getPublisher() {
        return publisher;
    }

    public void setPublisher(String publisher) {
        this.publisher = publisher;
        present.add("publisher");
    }

    public List<String> getTags() {
        return tags;
    }

    public void setTags(List<String> tags) {
        this.tags = tags;
        present.add("tags");
    }

    public BookStatus getStatus() {
        return status;
    }

    public void setStatus(BookStatus status) {
        this.status = status;
        present.add("status");
    }
}
