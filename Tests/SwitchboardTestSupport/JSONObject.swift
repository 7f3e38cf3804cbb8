import Foundation

/// Reads bytes as a JSON object, the way a client of our APIs or a provider's fake reads a body.
/// - Parameter bytes: A body as received.
/// - Returns: The object's members, or nil when the bytes are not a JSON object.
package func jsonObject(_ bytes: some Sequence<UInt8>) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
}
