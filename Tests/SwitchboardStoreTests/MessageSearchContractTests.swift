import Foundation
import SwitchboardCore
import Testing

/// `GET /admin/messages` in every store: conditions, newest first, pages by id.
@Suite("Message search contract")
struct MessageSearchContractTests {
    /// Six messages: ids in creation order; two numbers, two providers, two statuses.
    static func records() -> [MessageRecord] {
        (1...6).map { index in
            var record = Fixtures.record(
                id: "msg_0\(index)", to: index % 2 == 0 ? "+447700900222" : "+447700900111",
                createdAt: Fixtures.instant(800_000_000 + Int64(index) * 60)
            )
            record.provider = index <= 3 ? "alpha" : "beta"
            record.status = index == 5 ? .failed : .accepted
            return record
        }
    }

    @Test(arguments: StoreKind.allCases)
    func conditionsOrderAndPages(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let search = try #require(store as? any MessageSearch)
            // Saved out of order: the listing's order is the ids', not the saves'.
            for record in Self.records().reversed() { try await store.save(record) }
            func ids(_ query: MessageQuery) async throws -> [String] {
                try await search.messages(matching: query).map(\.id)
            }
            #expect(try await ids(MessageQuery(limit: 10)) == ["msg_06", "msg_05", "msg_04", "msg_03", "msg_02", "msg_01"])
            #expect(try await ids(MessageQuery(to: "+447700900222", limit: 10)) == ["msg_06", "msg_04", "msg_02"])
            #expect(try await ids(MessageQuery(provider: "alpha", limit: 10)) == ["msg_03", "msg_02", "msg_01"])
            #expect(try await ids(MessageQuery(status: .failed, limit: 10)) == ["msg_05"])
            #expect(try await ids(MessageQuery(since: Fixtures.instant(800_000_000 + 4 * 60), limit: 10)) == ["msg_06", "msg_05", "msg_04"])
            #expect(try await ids(MessageQuery(to: "+447700900111", provider: "beta", limit: 10)) == ["msg_05"])
            // Pages of two, each after the last id of the one before.
            #expect(try await ids(MessageQuery(limit: 2)) == ["msg_06", "msg_05"])
            #expect(try await ids(MessageQuery(after: "msg_05", limit: 2)) == ["msg_04", "msg_03"])
            #expect(try await ids(MessageQuery(after: "msg_03", limit: 2)) == ["msg_02", "msg_01"])
            #expect(try await ids(MessageQuery(after: "msg_01", limit: 2)) == [])
            // Records come back whole, attempts included.
            let found = try await search.messages(matching: MessageQuery(status: .failed, limit: 1))
            #expect(found == [Self.records()[4]])
        }
    }
}
