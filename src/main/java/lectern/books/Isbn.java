package lectern.books;

/**
 * ISBNs as people type them (hyphens, spaces, ISBN-10 or ISBN-13) turned into the 13 digits that are
 * stored. A wrong check digit is almost always a typo, so it is refused rather than stored.
 */
public final class Isbn {

    private Isbn() {
    }

    /** The 13-digit form, or an IllegalArgumentException whose message tells the user what is wrong. */
    public static String toIsbn13(String input) {
        String compact = input.replaceAll("[\\s-]", "").toUpperCase();
        if (compact.startsWith("ISBN")) {
            compact = compact.substring(4).replaceFirst("^[:]", "");
        }
        if (compact.matches("\\d{13}")) {
            if (checkDigit13(compact.substring(0, 12)) != compact.charAt(12)) {
                throw new IllegalArgumentException("'" + input + "' has a wrong check digit (ISBN-13); check for a typo");
            }
            return compact;
        }
        if (compact.matches("\\d{9}[\\dX]")) {
            if (checkDigit10(compact.substring(0, 9)) != compact.charAt(9)) {
                throw new IllegalArgumentException("'" + input + "' has a wrong check digit (ISBN-10); check for a typo");
            }
            String body = "978" + compact.substring(0, 9);
            return body + checkDigit13(body);
        }
        throw new IllegalArgumentException("'" + input + "' is not an ISBN: give 13 digits (or an ISBN-10), hyphens and spaces allowed");
    }

    static char checkDigit13(String twelveDigits) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int digit = twelveDigits.charAt(i) - '0';
            sum += i % 2 == 0 ? digit : 3 * digit;
        }
        return (char) ('0' + (10 - sum % 10) % 10);
    }

    static char checkDigit10(String nineDigits) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (10 - i) * (nineDigits.charAt(i) - '0');
        }
        int check = (11 - sum % 11) % 11;
        return check == 10 ? 'X' : (char) ('0' + check);
    }
}
