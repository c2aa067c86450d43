"""What a generated Feast module defines, read with Python's own parser (ast), as JSON.

Usage: /usr/bin/python3 feast_module_facts.py features.py
Prints {"imports": {...}, "definitions": [{"var", "call", "kwargs"}]}: each top-level
`name = Call(...)` with its keyword arguments as data. A name stands as {"ref": name}, a
`ValueType.X` as "ValueType.X", `timedelta(...)` as {"timedelta_seconds": n}, `Field(...)` as its
kwargs, `view[["a", "b"]]` as {"ref": view, "fields": ["a", "b"]}, a feast type as its source text.
"""
import ast
import json
import sys
from datetime import timedelta


def value(node):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return {"ref": node.id}
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    if isinstance(node, ast.List):
        return [value(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        return {value(k): value(v) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        return {"ref": node.value.id, "fields": value(node.slice)}
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        kwargs = {k.arg: value(k.value) for k in node.keywords}
        if node.func.id == "timedelta":
            return {"timedelta_seconds": timedelta(**kwargs).total_seconds()}
        if node.func.id == "Field":
            return kwargs
        if node.func.id == "Array":
            return f"Array({ast.unparse(node.args[0])})"
    raise ValueError(f"unexpected expression: {ast.unparse(node)}")


def main() -> int:
    source = open(sys.argv[1], encoding="utf-8").read()
    tree = ast.parse(source)
    imports = {}
    definitions = []
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            imports[statement.module] = [alias.name for alias in statement.names]
        elif isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            call = statement.value
            definitions.append(
                {
                    "var": statement.targets[0].id,
                    "call": call.func.id,
                    "kwargs": {k.arg: value(k.value) for k in call.keywords},
                }
            )
        else:
            raise ValueError(f"unexpected statement: {ast.unparse(statement)}")
    print(json.dumps({"imports": imports, "definitions": definitions}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
