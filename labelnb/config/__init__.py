"""The config engine: Label Studio labeling configs (XML) as a typed tag tree, with validation of the
config itself, of task data and of result items.

>>> from labelnb.config import LabelConfig
>>> cfg = LabelConfig.from_xml('''
... <View>
...   <Image name="img" value="$image"/>
...   <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/></Choices>
... </View>''')
>>> cfg.data_keys
['image']
>>> cfg.controls["quality"].labels
('ok', 'blurry')
>>> cfg.validate_result([{"from_name": "quality", "to_name": "img", "type": "choices",
...                       "value": {"choices": ["ok"]}}])

This package uses nothing else from labelnb: only the standard library and lxml.
"""

from .errors import ConfigError, ResultError, TaskDataError
from .labelconfig import LabelConfig
from .model import ControlTag, ObjectTag, Tag
from .tags import TAGS, TagSpec

__all__ = [
    "TAGS",
    "ConfigError",
    "ControlTag",
    "LabelConfig",
    "ObjectTag",
    "ResultError",
    "Tag",
    "TagSpec",
    "TaskDataError",
]
