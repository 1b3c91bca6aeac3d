# Baseline: LLformer-base without prior on LL-RAF-DB (GPU size).
_base_ = [
    '../_base_/models/llformer_cls.py', '../_base_/datasets/ll_rafdb.py',
    '../_base_/schedules/fer_adamw_60e.py', '../_base_/default_runtime.py'
]
model = dict(head=dict(num_classes={{_base_.num_classes}}))
