import Foundation

/// `2026-11-27T05:23:26Z`: what `JSONEncoder`'s `.iso8601` date strategy (the one Hummingbird's
/// default response encoder uses) writes, without building a formatter per call.
enum ISO8601Timestamp {
    /// The date in UTC, whole seconds (the fraction is dropped, as the encoder drops it).
    static func string(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // Four digits only; dates that far out are not ours, so the slow formatter may have them.
        guard (0...9999).contains(year) else { return date.formatted(.iso8601) }

        // Written in place: the text is its only allocation, on every answer that shows a date.
        return String(unsafeUninitializedCapacity: 20) { bytes in
            var count = 0
            func append(_ value: Int64, digits: Int) {
                var divisor: Int64 = 1
                for _ in 1..<digits { divisor *= 10 }
                var rest = value
                while divisor > 0 {
                    bytes[count] = UInt8(ascii: "0") + UInt8(rest / divisor % 10)
                    count += 1
                    rest %= divisor
                    divisor /= 10
                }
            }
            func append(_ character: Unicode.Scalar) {
                bytes[count] = UInt8(ascii: character)
                count += 1
            }
            append(year, digits: 4)
            append("-")
            append(month, digits: 2)
            append("-")
            append(day, digits: 2)
            append("T")
            append(secondOfDay / 3600, digits: 2)
            append(":")
            append(secondOfDay / 60 % 60, digits: 2)
            append(":")
            append(secondOfDay % 60, digits: 2)
            append("Z")
            return count
        }
    }
}
