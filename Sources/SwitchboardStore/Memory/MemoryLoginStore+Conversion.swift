package import Foundation
package import SwitchboardCore

/// Conversion counts in memory: one entry per app, scope and minute bucket.
extension MemoryLoginStore {
    struct ConversionBucket: Hashable {
        var app: String
        var scope: ConversionScope
        var start: Int64
    }

    package func countConversionSend(app: String, scopes: [ConversionScope], at: Date, limits: [ConversionScope: Int]) -> ConversionSendCount {
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        for scope in scopes {
            guard let limit = limits[scope] else { continue }
            if (conversionBuckets[ConversionBucket(app: app, scope: scope, start: start)]?.sent ?? 0) >= limit { return .slowed(scope) }
        }
        for scope in scopes { conversionBuckets[ConversionBucket(app: app, scope: scope, start: start), default: (0, 0)].sent += 1 }
        return .counted
    }

    package func uncountConversionSend(app: String, scopes: [ConversionScope], at: Date) {
        let start = ConversionRule.bucketStart(containing: at.microsecondsSince1970)
        for scope in scopes {
            let bucket = ConversionBucket(app: app, scope: scope, start: start)
            if let counts = conversionBuckets[bucket], counts.sent > 0 { conversionBuckets[bucket]?.sent -= 1 }
        }
    }

    package func countConversionVerified(app: String, scopes: [ConversionScope], sentAt: Date) {
        let start = ConversionRule.bucketStart(containing: sentAt.microsecondsSince1970)
        for scope in scopes { conversionBuckets[ConversionBucket(app: app, scope: scope, start: start), default: (0, 0)].verified += 1 }
    }

    package func conversionTallies(app: String, since: Date, minSends: Int) -> [ConversionTally] {
        let since = since.microsecondsSince1970
        var sums: [ConversionScope: ConversionTally] = [:]
        for (bucket, counts) in conversionBuckets where bucket.app == app && bucket.start >= since {
            sums[bucket.scope, default: ConversionTally(scope: bucket.scope, sent: 0, verified: 0)].sent += counts.sent
            sums[bucket.scope]?.verified += counts.verified
        }
        return sums.values.filter { $0.sent >= minSends }.sorted { $0.scope.key < $1.scope.key }
    }

    package func forgetConversion(_ scope: ConversionScope) {
        for bucket in conversionBuckets.keys where bucket.scope == scope { conversionBuckets[bucket] = nil }
    }
}
