import SwitchboardCore

extension MessageRecord {
    /// One record per id, in the order each id first appears, each the one of its saves that
    /// supersedes the others (``MessageRecord/supersedes(_:)``): what saving them one by one would
    /// leave, for writers that save a batch in one statement, where a row can be written only once.
    static func latestPerID(_ records: [MessageRecord]) -> [MessageRecord] {
        var positions: [String: Int] = [:]
        var latest: [MessageRecord] = []
        latest.reserveCapacity(records.count)
        for record in records {
            if let position = positions[record.id] {
                if record.supersedes(latest[position]) { latest[position] = record }
            } else {
                positions[record.id] = latest.count
                latest.append(record)
            }
        }
        return latest
    }
}
