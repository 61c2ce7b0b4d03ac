extension CheckpointError {
    /// The same error with `tensor` filled in when it was not set.
    func naming(tensor name: String) -> CheckpointError {
        CheckpointError(file: file, tensor: tensor ?? name, key: key, offset: offset, message)
    }

    /// The same error with `key` filled in when it was not set.
    func naming(key name: String) -> CheckpointError {
        CheckpointError(file: file, tensor: tensor, key: key ?? name, offset: offset, message)
    }
}

/// Runs `body`, adding the tensor name to any `CheckpointError` it throws.
func withTensor<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as CheckpointError { throw error.naming(tensor: name) }
}

/// Runs `body`, adding the metadata key to any `CheckpointError` it throws.
func withKey<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as CheckpointError { throw error.naming(key: name) }
}
