import Testing

@testable import SwitchboardStore

@Suite("multi-row statements")
struct MultiRowStatementTests {
    private let numbers = MultiRowStatement(valuesPerRow: 2, largestPiece: 8) { rows in
        "INSERT INTO numbers (n, name) VALUES " + Array(repeating: "(?, ?)", count: rows).joined(separator: ", ") + " RETURNING n"
    }

    @Test func rowsGoInTheFewestPiecesOfAPowerOfTwoLargestFirst() {
        #expect(numbers.pieces(of: 0) == [])
        #expect(numbers.pieces(of: 1) == [1])
        #expect(numbers.pieces(of: 8) == [8])
        #expect(numbers.pieces(of: 7) == [4, 2, 1])
        #expect(numbers.pieces(of: 29) == [8, 8, 8, 4, 1])
        for rows in 0...100 {
            let pieces = numbers.pieces(of: rows)
            #expect(pieces.reduce(0, +) == rows)
            #expect(pieces.allSatisfy { $0.nonzeroBitCount == 1 && $0 <= 8 })
            #expect(pieces == pieces.sorted(by: >))
        }
    }

    @Test func everyRowIsWrittenOnceInOrderAndWhatThePiecesReturnComesBackInOrder() throws {
        let database = try SQLiteDatabase(path: ":memory:")
        defer { try? database.close() }
        try database.execute("CREATE TABLE numbers (n INTEGER PRIMARY KEY, name TEXT NOT NULL)")
        let values = (1...29).flatMap { [SQLiteValue.integer($0), .text("n\($0)")] }
        let statementsBefore = database.cachedStatementCount
        let returned = try numbers.run(on: database, values)
        #expect(database.cachedStatementCount - statementsBefore == 3, "29 rows went in pieces of 8, 8, 8, 4 and 1: three texts")
        #expect(returned.compactMap { $0.column("n")?.integerValue } == Array(1...29))
        let stored = try database.query("SELECT n, name FROM numbers ORDER BY n")
        #expect(stored.compactMap { $0.column("name")?.textValue } == (1...29).map { "n\($0)" })
        #expect(try numbers.run(on: database, []).isEmpty)
    }
}
