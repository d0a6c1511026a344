package lectern.accounts;

import jakarta.enterprise.context.RequestScoped;
import lectern.api.ProblemException;

/**
 * The user a request acts for, set by {@link BearerAuthFilter}. Every query of user data is scoped
 * with {@link #id()}.
 */
@RequestScoped
public class CurrentUser {

    private Long id;
    private String username;

    void set(long id, String username) {
        this.id = id;
        this.username = username;
    }

    public long id() {
        if (id == null) {
            throw ProblemException.unauthorized("Sign in first: send Authorization: Bearer <token>");
        }
        return id;
    }

    public String username() {
        id();
        return username;
    }

    public boolean isSignedIn() {
        return id != null;
    }
}
