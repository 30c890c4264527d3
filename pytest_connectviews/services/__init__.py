"""Service backends: state plus one method per operation; they never see HTTP."""
