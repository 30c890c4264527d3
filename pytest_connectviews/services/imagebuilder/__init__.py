"""EC2 Image Builder: the families the fake serves and what they share (SPEC §5).

To add a family: write its module (a ``Family`` subclass with one method per operation) and add
the class to ``SERVICE.families``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import ServiceError
from .._kit.context import ServiceSpec
from .._kit.tags import Tagging
from .components import Components
from .configurations import DistributionConfigurations, InfrastructureConfigurations
from .executions import WorkflowExecutions
from .images import Images
from .pipelines import ImagePipelines
from .recipes import ImageRecipes
from .shared import ImageBuilderShared
from .versioning import invalid_value
from .workflows import Workflows

if TYPE_CHECKING:
    from ...validation import Violation


class ImageBuilderTagging(Tagging):
    """TagResource, UntagResource and ListTagsForResource on Image Builder ARNs."""

    shared: ImageBuilderShared

    def _too_many(self, count: int) -> ServiceError:
        # The model's TagMap allows 50: CreateWorkflow with 51 tags and a TagResource that would
        # leave 51 answer the same validation error (InvalidParameterValueException).
        return invalid_value(
            "tags",
            f"A resource can have at most {self.max_tags} tags; this request would leave {count}.",
        )

    def _not_taggable(self, arn: str) -> ServiceError:
        return ServiceError(
            "ResourceNotFoundException",
            f"The resource ARN '{arn}' does not exist. Tags are kept on build version ARNs "
            "of workflows and components (…/workflow/<type>/<name>/<M.m.p>/<build>), on "
            "recipe version ARNs and on configuration, pipeline and image ARNs.",
        )


def validation_error(violation: Violation) -> ServiceError:
    """Image Builder's wording for a parameter that breaks a modeled constraint."""
    constraint = violation.constraint
    marker = "regular expression pattern: "
    if marker in constraint:
        detail = f"{violation.path} must match pattern {constraint.split(marker, 1)[1]}"
    elif constraint.startswith("Member "):
        detail = f"{violation.path} {constraint[len('Member ') :]}"
    else:
        detail = constraint
    return invalid_value(violation.path, detail)


SERVICE = ServiceSpec(
    name="imagebuilder",
    families=(
        Workflows,
        Components,
        ImageRecipes,
        InfrastructureConfigurations,
        DistributionConfigurations,
        ImagePipelines,
        Images,
        WorkflowExecutions,
        ImageBuilderTagging,
    ),
    shared=ImageBuilderShared,
    validation_error=validation_error,
)
