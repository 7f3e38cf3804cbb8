import Yams

extension ConfigParser {
    /// `storage.sqlite`: the file's path, or `{ path, durability }`.
    static func readSQLite(_ node: ConfigNode) -> SQLiteSettings? {
        guard case .mapping(_) = node.node else { return node.nonEmptyString().map { SQLiteSettings(path: $0.value) } }
        guard let entries = node.mapping(allowedKeys: ["path", "durability"]),
            let pathNode = required(entries, "path", in: node), let path = pathNode.nonEmptyString()
        else { return nil }
        var settings = SQLiteSettings(path: path.value)
        if let node = entries["durability"] {
            guard let text = node.nonEmptyString() else { return nil }
            guard let durability = SQLiteSettings.Durability(rawValue: text.value) else {
                let known = SQLiteSettings.Durability.allCases.map(\.rawValue)
                node.report(
                    "\(node.describedPath) is \(text.quoted)\(Suggestion.didYouMean(text.value, among: known)); use power_loss (the default: "
                        + "a commit waits for the disk) or process_crash (faster: a commit survives kill -9 of the daemon, not a power cut)"
                )
                return nil
            }
            settings.durability = durability
        }
        return settings
    }
}
