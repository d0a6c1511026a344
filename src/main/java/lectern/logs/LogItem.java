package lectern.logs;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One item of a daily log: its section, place, text and label. */
@Entity
@Table(name = "log_item")
public class LogItem extends PanacheEntityBase {

    /** The most characters one item may have. */
    public static final int MAX_TEXT = 2000;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "log_id")
    public long logId;

    /** {@link Section#field}: finished, workingOn, plan or other. */
    public String section;

    public int position;

    public String text;

    public String label;

    public Double confidence;

    /** True when the user set the label: it wins over the classifier's and is training data. */
    @Column(name = "user_label")
    public boolean userLabel;
}
