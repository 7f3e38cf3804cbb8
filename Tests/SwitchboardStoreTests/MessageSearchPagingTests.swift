import Foundation
import SwitchboardCore
import Testing

/// Paging the message log when many messages share one millisecond: ids (`MessageID`) order the
/// listing to the millisecond, and within one by their random part, so a page boundary inside a
/// millisecond neither skips nor repeats a message.
@Suite("Message search paging")
struct MessageSearchPagingTests {
    @Test(arguments: StoreKind.allCases)
    func pagesThroughOneMillisecondWithoutAGapOrARepeat(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let search = try #require(store as? any MessageSearch)
            let earlier = Fixtures.instant(800_000_000)
            // Half-way into later milliseconds, so rounding the seconds as a double moves none across one.
            let shared = earlier.addingTimeInterval(0.0105)
            let later = earlier.addingTimeInterval(0.0205)
            var records: [MessageRecord] = [Fixtures.record(id: MessageID.make(at: earlier), createdAt: earlier)]
            // Seven in one millisecond, a microsecond apart.
            for micro in 0..<7 {
                let created = shared.addingTimeInterval(Double(micro) / 1_000_000)
                records.append(Fixtures.record(id: MessageID.make(at: created), createdAt: created))
            }
            records.append(Fixtures.record(id: MessageID.make(at: later), createdAt: later))
            for record in records.shuffled() { try await store.save(record) }

            var seen: [String] = []
            var after: String?
            for _ in 0..<records.count {
                let page = try await search.messages(matching: MessageQuery(after: after, limit: 2)).map(\.id)
                seen += page
                guard page.count == 2, let last = page.last else { break }
                after = last
            }
            #expect(seen.count == records.count)
            #expect(Set(seen) == Set(records.map(\.id)))
            #expect(seen == records.map(\.id).sorted(by: >))
            // Newest first across milliseconds: the later one leads, the earlier one ends.
            #expect(seen.first == records.last?.id)
            #expect(seen.last == records.first?.id)
        }
    }
}
