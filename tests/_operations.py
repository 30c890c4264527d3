"""The operations the issues ask the fake to serve: an expectation written down once for the tests.

Tests compare it with what the backends implement, so it is not derived from them.
"""

from __future__ import annotations

CONNECT_OPERATIONS = [
    "CreateView",
    "CreateViewVersion",
    "DescribeView",
    "ListViews",
    "ListViewVersions",
    "UpdateViewContent",
    "UpdateViewMetadata",
    "DeleteView",
    "DeleteViewVersion",
    "SearchViews",
    "CreateInstance",
    "DescribeInstance",
    "ListInstances",
    "DeleteInstance",
    "DescribeInstanceAttribute",
    "UpdateInstanceAttribute",
    "ListInstanceAttributes",
    "CreateContactFlow",
    "DescribeContactFlow",
    "ListContactFlows",
    "UpdateContactFlowContent",
    "UpdateContactFlowMetadata",
    "UpdateContactFlowName",
    "DeleteContactFlow",
    "SearchContactFlows",
    "CreateContactFlowVersion",
    "ListContactFlowVersions",
    "DeleteContactFlowVersion",
    "CreateContactFlowModule",
    "DescribeContactFlowModule",
    "ListContactFlowModules",
    "UpdateContactFlowModuleContent",
    "UpdateContactFlowModuleMetadata",
    "DeleteContactFlowModule",
    "SearchContactFlowModules",
    "CreateContactFlowModuleVersion",
    "ListContactFlowModuleVersions",
    "DeleteContactFlowModuleVersion",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
]
IMAGEBUILDER_OPERATIONS = [
    "CreateWorkflow",
    "GetWorkflow",
    "ListWorkflows",
    "ListWorkflowBuildVersions",
    "DeleteWorkflow",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
]
OPERATIONS = {"connect": CONNECT_OPERATIONS, "imagebuilder": IMAGEBUILDER_OPERATIONS}
