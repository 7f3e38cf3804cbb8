import SwitchboardCore

extension MessageRecord {
    /// One record per id, in the order each id first appears, each the one of its saves that
    /// supersedes the others (``MessageRecord/supersedes(_:)``): what saving them one by one would
    /// leave, for writers that save a batch in one statement, where a row can be written only once.
    ///
    /// `records` themselves when no id repeats, as in nearly every batch: a copy of each record
    /// would retain each of its strings and arrays for nothing.
    static func latestPerID(_ records: [MessageRecord]) -> [MessageRecord] {
        var positions: [String: Int] = [:]
        positions.reserveCapacity(records.count)
        // Made at the first repeated id, from the records before it; until then it is their prefix.
        var latest: [MessageRecord]?
        for (index, record) in records.enumerated() {
            if let position = positions[record.id] {
                if latest == nil { latest = Array(records[..<index]) }
                if record.supersedes(latest![position]) { latest![position] = record }
            } else {
                positions[record.id] = latest?.count ?? index
                latest?.append(record)
            }
        }
        return latest ?? records
    }
}
