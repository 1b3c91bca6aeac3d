# The CLIP of LA-CLIP sized for a 2-core CPU: CLIP's ModifiedResNet image
# tower (width 32, 2-2-2-2 bottlenecks, attention pooling; 6.7 M
# parameters, 48x48 input) and a 2-layer text tower. Pretrained by
# configs/laclip/ (stage 0), then loaded frozen by LLDif.
laclip_cpu = dict(
    embed_dim=64,
    vision_cfg=dict(layers=(2, 2, 2, 2), width=32, image_size=48,
                    head_width=32),
    text_cfg=dict(context_length=16, vocab_size=49408, width=64, heads=2,
                  layers=2))
# to replace another config's `model.la_clip.clip_cfg` by this one whole
laclip_cpu_replace = dict(laclip_cpu, _delete_=True)
