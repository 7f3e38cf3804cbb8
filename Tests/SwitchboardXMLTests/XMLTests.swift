import Testing

/// All SwitchboardXML tests, run one at a time: the leak test measures the process's resident memory, and
/// the oversized-input test allocates 50 MB.
@Suite(.serialized) struct XMLTests {}
