package lectern;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import lectern.support.PostgresResource;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class HealthTest {

    @Test
    void readyWhenTheDatabaseIsUp() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
    }

    @Test
    void servesTheOpenApiDocument() {
        given().accept("application/json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("info.title", equalTo("Lectern API"));
    }
}
