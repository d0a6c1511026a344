package lectern.transfer;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.util.ArrayList;
import java.util.List;

/** A book's StoryGraph origin: see migrations/V12__storygraph_kindle.sql. */
@Entity
@Table(name = "storygraph_book")
public class StoryGraphBook extends ImportedFrom {

    /** The ISBN/UID cell as StoryGraph wrote it. */
    public String uid;

    public String contributors;

    public String format;

    /** Which of the book's tags came from the Moods column. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    public List<String> moods = new ArrayList<>();

    /** The Pace cell ("fast"); the book's tag for it is {@code fast-paced}. */
    public String pace;

    @Column(name = "character_or_plot")
    public String characterOrPlot;

    @Column(name = "strong_development")
    public String strongDevelopment;

    @Column(name = "loveable_characters")
    public String loveableCharacters;

    @Column(name = "diverse_characters")
    public String diverseCharacters;

    @Column(name = "flawed_characters")
    public String flawedCharacters;

    @Column(name = "content_warnings")
    public String contentWarnings;

    @Column(name = "content_warning_description")
    public String contentWarningDescription;

    public String owned;
}
