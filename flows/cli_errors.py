"""Command-line usage errors in Chinese: typer (its own copy of click) reports them in English.

`intake` runs typer with standalone_mode=False (flows/cli.py `main`), so a usage error reaches `explain` as an
exception instead of an English panel; `explain` says it in one Chinese sentence and the command exits with 2.
"""

from __future__ import annotations

import re

try:  # typer ≥ 0.20 ships its own copy of click, whose exceptions it raises (typer re-exports only BadParameter)
    from typer._click import exceptions as click_errors
except ImportError:  # an older typer runs on click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]

UsageError = click_errors.UsageError
COMMANDS = "run、watch、serve"

# typer's validation messages (pydantic's wording) → Chinese; {n}: the bound in the message
_REASONS = [
    (r"valid integer", "应为整数"),
    (r"valid number|valid float", "应为数字"),
    (r"valid boolean", "应为 true 或 false"),
    (r"greater than or equal to (?P<n>\S+)", "不能小于 {n}"),
    (r"greater than (?P<n>\S+)", "应大于 {n}"),
    (r"less than or equal to (?P<n>\S+)", "不能大于 {n}"),
    (r"less than (?P<n>\S+)", "应小于 {n}"),
    (r"does not exist", "不存在"),
]
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _reason(message: str) -> str:
    if _CJK.search(message):  # our own callbacks already speak Chinese
        return message.rstrip("。")
    for pattern, chinese in _REASONS:
        m = re.search(pattern, message)
        if m:
            return chinese.format(**m.groupdict())
    return f"格式不对（{message}）"


def _option(error: click_errors.UsageError) -> str:
    param = getattr(error, "param", None)
    if param is not None and getattr(param, "opts", None):
        return param.opts[0]
    return getattr(error, "param_hint", None) or getattr(error, "option_name", None) or ""


def explain(error: click_errors.UsageError) -> str:
    """One Chinese sentence for a usage error, with what to do."""
    message = error.format_message() if not isinstance(error, click_errors.BadParameter) else error.message
    if isinstance(error, click_errors.NoSuchOption):
        maybe = f"（是不是要用 {'、'.join(sorted(error.possibilities))}？）" if error.possibilities else ""
        text = f"没有这个选项：{error.option_name}{maybe}"
    elif isinstance(error, click_errors.BadParameter):
        text = f"选项 {_option(error)} 的值有误：{_reason(message)}"
    elif isinstance(error, click_errors.MissingParameter):
        text = f"缺少 {_option(error)}"
    elif isinstance(error, click_errors.BadOptionUsage) and "requires an argument" in message:
        text = f"选项 {error.option_name} 后面要跟一个值"
    elif m := re.match(r"No such command '(.+)'", message):
        text = f"没有这个命令：{m.group(1)}（可用的命令：{COMMANDS}）"
    elif m := re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", message):
        text = f"多余的参数：{m.group(1)}（选项要以 -- 开头，例如 --inbox 文件夹）"
    elif "Missing command" in message:
        text = f"请指定命令：{COMMANDS}"
    else:
        text = f"命令写法有误（{message}）"
    return f"{text}。用法见 intake --help 或 intake run --help。"
