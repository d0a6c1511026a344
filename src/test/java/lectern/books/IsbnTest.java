package lectern.books;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsbnTest {

    @Test
    void acceptsIsbn13WithHyphensAndSpaces() {
        assertEquals("9780306406157", Isbn.toIsbn13("978-0-306-40615-7"));
        assertEquals("9780306406157", Isbn.toIsbn13(" 978 0 306 40615 7 "));
        assertEquals("9780306406157", Isbn.toIsbn13("ISBN 978-0-306-40615-7"));
    }

    @Test
    void convertsIsbn10() {
        // 0-306-40615-2 is the ISBN-10 of the same book as 978-0-306-40615-7.
        assertEquals("9780306406157", Isbn.toIsbn13("0-306-40615-2"));
        // An ISBN-10 whose check digit is X.
        assertEquals("9780804429573", Isbn.toIsbn13("080442957X"));
    }

    @Test
    void refusesWrongCheckDigitsAndShapes() {
        var wrong13 = assertThrows(IllegalArgumentException.class, () -> Isbn.toIsbn13("978-0-306-40615-8"));
        assertTrue(wrong13.getMessage().contains("check digit"));
        assertThrows(IllegalArgumentException.class, () -> Isbn.toIsbn13("0-306-40615-3"));
        assertThrows(IllegalArgumentException.class, () -> Isbn.toIsbn13("12345"));
        assertThrows(IllegalArgumentException.class, () -> Isbn.toIsbn13("978030640615X"));
    }
}
