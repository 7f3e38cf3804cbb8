import Foundation
import PostgresNIO
package import SwitchboardCore

extension PostgresStore: MessageSearch {
    package func messages(matching query: MessageQuery) async throws -> [MessageRecord] {
        guard query.limit > 0 else { return [] }
        var binds = PostgresBindings()
        binds.append(query.limit)
        var conditions: [String] = []
        if let to = query.to {
            binds.append(to)
            conditions.append("to_number = $\(binds.count)")
        }
        if let status = query.status {
            binds.append(status.rawValue)
            conditions.append("status = $\(binds.count)")
        }
        if let provider = query.provider {
            binds.append(provider)
            conditions.append("provider = $\(binds.count)")
        }
        if let since = query.since {
            binds.append(since.microsecondsSince1970)
            conditions.append("created_at_us >= $\(binds.count)")
        }
        if let after = query.after {
            binds.append(after)
            conditions.append("id < $\(binds.count)")
        }
        let filter = conditions.isEmpty ? "true" : conditions.joined(separator: " AND ")
        let sql = PostgresQuery(unsafeSQL: MessageRecord.postgresSelectSQL(where: filter, limit: "$1", byID: true), binds: binds)
        return try await attachingReceipts(try MessageRecord.records(from: try await pool.run(sql, logger: logger)))
    }
}
