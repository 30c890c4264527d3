"""What Image Builder's families share within one fake, and the ARN and uri forms they read."""

from __future__ import annotations

import re

from .._kit.idempotency import Idempotency
from .._kit.pagination import PageTokens
from .._kit.tags import TagStore

S3_URI = re.compile(r"^s3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])/(.+)\Z", re.DOTALL)
WORKFLOW_ARN = re.compile(
    r"^arn:(aws(?:-[a-z]+)*):imagebuilder:([a-z0-9-]+):([0-9]{12}|aws(?:-[a-z-]+)?):"
    r"workflow/(build|test|distribution)/([a-z0-9\-_]+)/"
    r"([0-9]+|x)\.([0-9]+|x)\.([0-9]+|x)(?:/([0-9]+))?\Z"
)


def canonical_build_arn(match: re.Match[str]) -> str:
    """The build version ARN a ``WORKFLOW_ARN`` match of one stands for (version nodes as ints)."""
    partition, region, account, kind, norm = match.group(1, 2, 3, 4, 5)
    version = ".".join(str(int(n)) for n in match.group(6, 7, 8))
    return (
        f"arn:{partition}:imagebuilder:{region}:{account}:workflow/{kind}/{norm}/"
        f"{version}/{int(match.group(9))}"
    )


class ImageBuilderShared:
    """What Image Builder's families share within one fake: tags, documents, references."""

    def __init__(self, key: bytes) -> None:
        self.tags = TagStore()
        self.pages = PageTokens(key)
        self.idempotency = Idempotency()
        #: ``s3://bucket/key`` -> the document a test registered there.
        self.documents: dict[str, str] = {}
        #: build version ARNs a test marked as used by an image pipeline.
        self.in_use: set[str] = set()

    def register_document(self, uri: str, text: str) -> None:
        """Provide the document at ``s3://bucket/key`` for a ``uri`` parameter."""
        if not isinstance(uri, str) or not S3_URI.match(uri):
            raise ValueError(
                "connectviews: register_document needs an S3 uri like 's3://my-bucket/workflows/"
                f"build.yaml' (bucket 3-63 lower-case characters, then a key), got {uri!r}"
            )
        if not isinstance(text, str) or not text:
            raise ValueError(
                "connectviews: register_document needs the document as a non-empty str "
                f"(read the file with .read_text()), got {type(text).__name__}"
            )
        self.documents[uri] = text

    def mark_in_use(self, build_arn: str, in_use: bool = True) -> None:
        """Mark a workflow build version as used by an image pipeline (or clear the mark)."""
        match = WORKFLOW_ARN.match(build_arn) if isinstance(build_arn, str) else None
        if match is None or match.group(9) is None or "x" in match.group(6, 7, 8):
            raise ValueError(
                "connectviews: mark_in_use needs a workflow build version ARN such as "
                "'arn:aws:imagebuilder:us-east-1:123456789012:workflow/build/my-workflow/1.0.0/1' "
                f"(the workflowBuildVersionArn CreateWorkflow returned), got {build_arn!r}"
            )
        canonical = canonical_build_arn(match)
        if in_use:
            self.in_use.add(canonical)
        else:
            self.in_use.discard(canonical)
