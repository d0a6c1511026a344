package lectern.books;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.LocalDate;

/** Where the reader was on a date: a cumulative position, as a page or as a percent (exactly one of them). */
@Entity
@Table(name = "progress")
public class Progress extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "owner_id")
    public long ownerId;

    @Column(name = "reading_id")
    public long readingId;

    @Column(name = "on_date")
    public LocalDate onDate;

    public Integer page;

    public Double percent;
}
