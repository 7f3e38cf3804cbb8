/// Limits applied to untrusted XML before and while it is parsed.
///
/// Beyond these, libxml2 is run without `XML_PARSE_HUGE`, so its own fixed caps apply too: elements nest at
/// most 256 deep, a name is at most 50,000 bytes and a single text node at most 10,000,000 bytes.
package struct XMLLimits: Sendable, Hashable {
    /// The largest document accepted, in bytes. Larger input is refused before libxml2 sees any of it.
    package let maxBytes: Int

    /// Creates limits.
    /// - Parameter maxBytes: The largest document accepted, in bytes (default 1 MiB). libxml2 takes an
    ///   `int` length, so it must be between 0 and `Int32.max`.
    package init(maxBytes: Int = 1 << 20) {
        precondition((0...Int(Int32.max)).contains(maxBytes), "XMLLimits.maxBytes must fit libxml2's int length")
        self.maxBytes = maxBytes
    }
}
