import Foundation

/// A send's `approval_data` as the challenge stores it, until the login's id token carries it.
enum ApprovalDataJSON {
    static func encode(_ data: [String: String]?) throws -> String? {
        guard let data else { return nil }
        return String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
