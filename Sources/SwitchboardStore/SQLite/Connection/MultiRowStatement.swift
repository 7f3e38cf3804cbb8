/// A statement written for any number of rows (`VALUES (…), (…)`, `IN (?, ?)`), run in pieces of a
/// power of two rows: every row count is served by a handful of texts, built once and each
/// prepared once, where a text per row count would be built for every batch and prepared again
/// whenever the batch sizes vary (the connection keeps a bounded number of prepared statements).
struct MultiRowStatement: Sendable {
    /// The values bound for each row.
    let valuesPerRow: Int
    /// The text for `1 << k` rows at index `k`.
    private let texts: [String]

    /// The most rows one piece holds.
    var largestPiece: Int { 1 << (texts.count - 1) }

    /// - Parameters:
    ///   - valuesPerRow: The values bound for each row.
    ///   - largestPiece: The most rows one piece holds, a power of two.
    ///   - sql: The statement's text for a number of rows.
    init(valuesPerRow: Int, largestPiece: Int, sql: (_ rows: Int) -> String) {
        precondition(largestPiece > 0 && largestPiece.nonzeroBitCount == 1, "pieces are powers of two")
        self.valuesPerRow = valuesPerRow
        texts = (0...largestPiece.trailingZeroBitCount).map { sql(1 << $0) }
    }

    /// The row counts of the pieces `rows` rows go in, largest first: 29 → 16, 8, 4, 1.
    func pieces(of rows: Int) -> [Int] {
        var pieces = Array(repeating: largestPiece, count: rows / largestPiece)
        var rest = rows % largestPiece
        while rest > 0 {
            let piece = 1 << (Int.bitWidth - 1 - rest.leadingZeroBitCount)
            pieces.append(piece)
            rest -= piece
        }
        return pieces
    }

    /// Runs the statement over `values`, ``valuesPerRow`` for each row in order, piece by piece.
    /// - Returns: The rows the pieces returned, in order.
    /// - Throws: ``SQLiteError``; the pieces before the failing one have run.
    @discardableResult
    func run(on database: SQLiteDatabase, _ values: [SQLiteValue]) throws -> [SQLiteRow] {
        precondition(values.count % valuesPerRow == 0, "values for whole rows")
        let rows = values.count / valuesPerRow
        guard rows > 0 else { return [] }
        var returned: [SQLiteRow] = []
        var start = 0
        for piece in pieces(of: rows) {
            let end = start + piece * valuesPerRow
            let text = texts[piece.trailingZeroBitCount]
            returned += try database.query(text, start == 0 && end == values.count ? values : Array(values[start..<end]))
            start = end
        }
        return returned
    }
}
