package lectern.papers;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * The arXiv papers a paper's notes cite, kept in {@code paper_reference}. A note is scanned when it is
 * added here; notes edited, deleted or restored through /api/notes are caught up before references are
 * read (a note's version tells whether its scan is current), so this room needs no hook in the notes room.
 * Which cited papers are in the library is decided when reading, so adding a cited paper later links it.
 */
@ApplicationScoped
public class PaperReferences {

    /** One cited arXiv paper; {@code paperId} and {@code title} when it is in the library. */
    public record Reference(String arxivId, String arxivUrl, Long paperId, String title) {
    }

    /** A paper in the library whose notes cite the paper asked about. */
    public record CitingPaper(long paperId, String title, String arxivId) {
    }

    @Inject
    EntityManager entityManager;

    /** Scans one note of a paper (again), replacing what an earlier version of it referenced. */
    @Transactional
    public void scanNote(long ownerId, long paperId, long noteId, long noteVersion, String text) {
        entityManager.createNativeQuery("DELETE FROM paper_reference WHERE owner_id = ?1 AND note_id = ?2")
                .setParameter(1, ownerId).setParameter(2, noteId).executeUpdate();
        for (ArxivId cited : ArxivId.findAll(text)) {
            entityManager.createNativeQuery("""
                            INSERT INTO paper_reference (owner_id, paper_id, note_id, note_version, arxiv_id)
                            VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (note_id, arxiv_id) DO NOTHING""")
                    .setParameter(1, ownerId).setParameter(2, paperId).setParameter(3, noteId)
                    .setParameter(4, noteVersion).setParameter(5, cited.id()).executeUpdate();
        }
        entityManager.createNativeQuery("""
                        INSERT INTO paper_note_scan (note_id, owner_id, paper_id, note_version) VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT (note_id) DO UPDATE SET paper_id = EXCLUDED.paper_id, note_version = EXCLUDED.note_version""")
                .setParameter(1, noteId).setParameter(2, ownerId).setParameter(3, paperId).setParameter(4, noteVersion)
                .executeUpdate();
    }

    /**
     * Scans the paper notes whose current version has not been scanned (edited since, or added by
     * another way than this room); {@code paperId} null for all of the owner's paper notes.
     */
    @Transactional
    public int catchUp(long ownerId, Long paperId) {
        String onePaper = paperId == null ? "" : " AND n.paper_id = ?2";
        var query = entityManager.createNativeQuery("""
                SELECT n.id, n.paper_id, n.version, n.text FROM note n
                LEFT JOIN paper_note_scan s ON s.note_id = n.id
                WHERE n.owner_id = ?1 AND n.paper_id IS NOT NULL AND n.deleted_at IS NULL
                  AND (s.note_id IS NULL OR s.note_version <> n.version)""" + onePaper).setParameter(1, ownerId);
        if (paperId != null) {
            query.setParameter(2, paperId);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> stale = query.getResultList();
        for (Object[] row : stale) {
            scanNote(ownerId, ((Number) row[1]).longValue(), ((Number) row[0]).longValue(), ((Number) row[2]).longValue(),
                    (String) row[3]);
        }
        return stale.size();
    }

    /** What the paper's live notes cite, in the order first written; never the paper itself. */
    @Transactional
    public List<Reference> references(long ownerId, long paperId) {
        catchUp(ownerId, paperId);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                        SELECT r.arxiv_id, MIN(cited.id), MIN(cited.title), MIN(r.id) AS first_seen
                        FROM paper_reference r
                        JOIN note n ON n.id = r.note_id AND n.version = r.note_version AND n.deleted_at IS NULL
                        JOIN paper self ON self.id = r.paper_id
                        LEFT JOIN paper cited ON cited.owner_id = r.owner_id AND cited.arxiv_id = r.arxiv_id
                                             AND cited.deleted_at IS NULL
                        WHERE r.owner_id = ?1 AND r.paper_id = ?2 AND r.arxiv_id IS DISTINCT FROM self.arxiv_id
                        GROUP BY r.arxiv_id
                        ORDER BY first_seen""")
                .setParameter(1, ownerId).setParameter(2, paperId).getResultList();
        return rows.stream().map(row -> {
            String arxivId = (String) row[0];
            Long cited = row[1] == null ? null : ((Number) row[1]).longValue();
            return new Reference(arxivId, new ArxivId(arxivId, null).absUrl(), cited, (String) row[2]);
        }).toList();
    }

    /** The library's papers whose live notes cite this arXiv id, other than {@code paperId} itself. */
    @Transactional
    public List<CitingPaper> citedBy(long ownerId, long paperId, String arxivId) {
        if (arxivId == null) {
            return List.of();
        }
        catchUp(ownerId, null);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                        SELECT DISTINCT citing.id, citing.title, citing.arxiv_id
                        FROM paper_reference r
                        JOIN note n ON n.id = r.note_id AND n.version = r.note_version AND n.deleted_at IS NULL
                        JOIN paper citing ON citing.id = r.paper_id AND citing.deleted_at IS NULL
                        WHERE r.owner_id = ?1 AND r.arxiv_id = ?2 AND r.paper_id <> ?3
                        ORDER BY citing.id""")
                .setParameter(1, ownerId).setParameter(2, arxivId).setParameter(3, paperId).getResultList();
        return rows.stream().map(row -> new CitingPaper(((Number) row[0]).longValue(), (String) row[1], (String) row[2]))
                .toList();
    }
}
