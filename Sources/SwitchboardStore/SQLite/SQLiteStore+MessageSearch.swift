import Foundation
package import SwitchboardCore

extension SQLiteStore: MessageSearch {
    package func messages(matching query: MessageQuery) async throws -> [MessageRecord] {
        guard query.limit > 0 else { return [] }
        var binds: [SQLiteValue] = [.integer(query.limit)]
        var conditions: [String] = []
        func bind(_ value: SQLiteValue, _ condition: (String) -> String) {
            binds.append(value)
            conditions.append(condition("?\(binds.count)"))
        }
        if let to = query.to { bind(.text(to)) { "to_number = \($0)" } }
        if let status = query.status { bind(.text(status.rawValue)) { "status = \($0)" } }
        if let provider = query.provider { bind(.text(provider)) { "provider = \($0)" } }
        if let since = query.since { bind(.integer(.init(since.microsecondsSince1970))) { "created_at_us >= \($0)" } }
        if let after = query.after { bind(.text(after)) { "id < \($0)" } }
        let filter = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        let sql = MessageRecord.selectSQL(where: filter, limit: "?1", byID: true)
        let values = binds
        return try await read { database in
            try MessageRecord.attachingReceipts(MessageRecord.records(from: database.query(sql, values)), in: database)
        }
    }
}
