package lectern.transfer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The citation key and arXiv class a paper was imported with: see migrations/V7__transfer.sql. */
@Entity
@Table(name = "paper_bibtex")
public class PaperBibtex extends PanacheEntityBase {

    @Id
    @Column(name = "paper_id")
    public Long paperId;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "cite_key")
    public String citeKey;

    @Column(name = "entry_type")
    public String entryType;

    @Column(name = "primary_class")
    public String primaryClass;
}
