"""Reading the inputs: seeds and metadata into checked records, the texts cleaned, a new text added."""
