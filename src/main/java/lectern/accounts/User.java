package lectern.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;
import java.util.Optional;

@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String username;

    @Column(name = "password_hash")
    public String passwordHash;

    @Column(name = "created_at", insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    public static Optional<User> findByUsername(String username) {
        if (username == null || username.indexOf('\u0000') >= 0) {
            return Optional.empty(); // no username holds it, and PostgreSQL refuses it in a query
        }
        return find("lower(username) = lower(?1)", username).firstResultOptional();
    }
}
