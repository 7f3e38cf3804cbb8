/// One thing wrong with a configuration file, at the place it was found.
package struct ConfigProblem: Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `FILE:LINE:COLUMN: message`, the form editors and compilers use.
    package var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Every problem found in a configuration, reported together so that one run shows them all.
package struct ConfigError: Error, Sendable, CustomStringConvertible {
    package var problems: [ConfigProblem]

    package init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    package var description: String { problems.map(\.description).joined(separator: "\n") }
}
