/// A message's Twilio SID and our message id, each made from the other: `SM` and 32 hex digits are
/// four zeros and the 28 hex digits of `msg_…`, so a SID needs no table to be looked up.
enum TwilioMessageSID {
    static let padding = "0000"

    static func sid(forMessageID id: String) -> String? {
        guard id.hasPrefix("msg_"), id.utf8.count == 32, id.dropFirst(4).allSatisfy(\.isHexDigit) else { return nil }
        return "SM" + padding + id.dropFirst(4).uppercased()
    }

    static func messageID(forSID sid: String) -> String? {
        guard sid.utf8.count == 34, sid.hasPrefix("SM" + padding), sid.dropFirst(2).allSatisfy(\.isHexDigit) else { return nil }
        return "msg_" + sid.dropFirst(6).lowercased()
    }
}
