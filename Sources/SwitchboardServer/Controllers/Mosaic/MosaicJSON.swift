import Foundation
import Hummingbird
import NIOCore
import SwitchboardJSON

/// The bytes of a Mosaic answer: what `JSONSerialization.data(withJSONObject:options:
/// [.sortedKeys, .withoutEscapingSlashes])` wrote when it made them, so clients (and caches) see
/// no change.
enum MosaicJSON {
    static func bytes(_ value: JSON) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value, sortingKeysBy: keyOrder)
        return writer.bytes
    }

    /// A JSON answer with these bytes.
    static func response(_ object: JSONObject, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes(.object(object)))))
    }

    /// Foundation's `.sortedKeys` order: a numeric, case-insensitive comparison in the system
    /// locale, in which punctuation such as `_` comes before digits and letters. For names of lowercase letters and `_` (all of our own) that is
    /// plain byte order, which costs nothing; only other names (from clients' `name` and
    /// `custom_data` objects) pay for Foundation's comparison.
    static func keyOrder(_ lhs: String, _ rhs: String) -> Bool {
        if isPlain(lhs), isPlain(rhs) { return lhs < rhs }
        return lhs.compare(rhs, options: [.numeric, .caseInsensitive, .forcedOrdering], range: lhs.startIndex..<lhs.endIndex, locale: systemLocale)
            == .orderedAscending
    }

    /// The locale `JSONSerialization` sorts with.
    private static let systemLocale = NSLocale.system as Locale

    private static func isPlain(_ name: String) -> Bool {
        name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) }
    }
}
