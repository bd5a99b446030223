/* nodes.h: every kind of autograd node, in one list.
 *
 * AG_NODES(X) has one row per node kind, X(Name, formula): Name is
 * PyTorch's name of the node (grad_fn=<MulBackward0>), formula the
 * backward function that runs it (runtime/backward/; the comments name
 * the family file of the rows below them, and a function that several
 * rows share, such as identity_backward, lives in one of those files).
 * The list generates
 *   - GradNodeKind: NODE_MulBackward0, ... (below); recording takes it:
 *     ag_record(out, NODE_MulBackward0, inputs, n). (GradNodeKind, not
 *     NodeKind: that is the parser's kind of syntax node, parser/ast.h.)
 *   - ag_node_names[kind], PyTorch's names (autograd/record.c), which
 *     ag_node_name(node) reads for printing and error texts;
 *   - the declarations of the formulas (backward/formula.h) and the
 *     formula table indexed by kind, ag_formulas[] (backward/engine.c).
 *
 * A node kind without a formula does not build: a row must name its
 * function (the macro takes two arguments), a function named but never
 * defined fails to link (its declaration comes from this list), and
 * _Static_asserts check that each table has NODE_COUNT entries. So the
 * formulas are not static: each is defined with FORMULA(fn) (or the plain
 * signature) in its family file and declared once, from here.
 *
 * A node whose backward PyTorch does not implement still names a
 * formula: one that raises PyTorch's error (NotImplemented). AccumulateGrad
 * never runs a formula (the engine accumulates into the leaf); its
 * no_formula raises the engine's error for a node without one.
 *
 * Adding a node: a row here, its formula in runtime/backward/<family>.c,
 * and the op that records it (runtime/ops/). */
#ifndef TSR_NODES_H
#define TSR_NODES_H

#define AG_NODES(X)                                                        \
    /* the engine (engine.c) */                                            \
    X(AccumulateGrad, no_formula)                                          \
    /* custom_function.c: torch.autograd.Function, @once_differentiable */ \
    X(FunctionBackward, custom_function_backward)                          \
    X(Error, delayed_error_backward)                                       \
    /* elementwise.c */                                                    \
    X(AddBackward0, add_backward)                                          \
    X(SubBackward0, sub_backward)                                          \
    X(RsubBackward1, rsub_backward)                                        \
    X(MulBackward0, mul_backward)                                          \
    X(DivBackward0, div_backward)                                          \
    X(PowBackward0, pow_backward0)                                         \
    X(MulBackward1, mul_scalar_backward)                                   \
    X(DivBackward1, div_scalar_backward)                                   \
    X(AddBackward1, passthrough_self)                                      \
    X(SubBackward1, passthrough_self)                                      \
    X(PowBackward1, pow_backward1)                                         \
    X(PowBackward2, pow_backward2)                                         \
    X(Atan2Backward0, atan2_backward)                                      \
    X(HypotBackward0, hypot_backward)                                      \
    X(LogaddexpBackward0, logaddexp_backward)                              \
    /* special.c */                                                        \
    X(XlogyBackward0, xlogy_backward0)                                     \
    X(XlogyBackward1, xlogy_backward1)                                     \
    X(XlogyBackward2, xlogy_backward2)                                     \
    X(SpecialXlog1PyBackward0, xlog1py_backward0)                          \
    X(SpecialXlog1PyBackward1, xlog1py_backward1)                          \
    X(SpecialXlog1PyBackward2, xlog1py_backward2)                          \
    X(SpecialZetaBackward0, zeta_backward0)                                \
    X(SpecialZetaBackward1, zeta_backward1)                                \
    X(SpecialZetaBackward2, zeta_backward2)                                \
    X(CopysignBackward0, copysign_backward)                                \
    X(CopysignBackward1, copysign_backward)                                \
    X(FmaxBackward0, fmax_backward)                                        \
    X(FminBackward0, fmin_backward)                                        \
    X(Logaddexp2Backward0, logaddexp2_backward)                            \
    X(NextafterBackward0, nextafter_backward)                              \
    X(AcoshBackward0, acosh_backward)                                      \
    X(AsinhBackward0, asinh_backward)                                      \
    X(AtanhBackward0, atanh_backward)                                      \
    X(ErfBackward0, erf_backward)                                          \
    X(ErfcBackward0, erfc_backward)                                        \
    X(ErfinvBackward0, erfinv_backward)                                    \
    X(LgammaBackward0, lgamma_backward)                                    \
    X(DigammaBackward0, digamma_backward)                                  \
    X(PolygammaBackward0, polygamma_backward)                              \
    X(MvlgammaBackward0, mvlgamma_backward)                                \
    X(I0Backward0, i0_backward)                                            \
    X(SpecialI0EBackward0, i0e_backward)                                   \
    X(SpecialI1Backward0, i1_backward)                                     \
    X(SpecialI1EBackward0, i1e_backward)                                   \
    X(SincBackward0, sinc_backward)                                        \
    X(SpecialEntrBackward0, entr_backward)                                 \
    X(LogitBackward0, logit_backward)                                      \
    X(Deg2RadBackward0, deg2rad_backward)                                  \
    X(Rad2DegBackward0, rad2deg_backward)                                  \
    X(MaximumBackward0, maximum_backward)                                  \
    X(MinimumBackward0, minimum_backward)                                  \
    X(FmodBackward0, passthrough_self)                                     \
    X(FmodBackward1, fmod_backward1)                                       \
    X(RemainderBackward0, passthrough_self)                                \
    X(RemainderBackward1, remainder_backward1)                             \
    X(NotImplemented, not_implemented_backward)                            \
    X(NegBackward0, neg_backward)                                          \
    X(AbsBackward0, abs_backward)                                          \
    X(SignBackward0, zero_backward)                                        \
    X(ReluBackward0, relu_backward)                                        \
    X(SqrtBackward0, sqrt_backward)                                        \
    X(RsqrtBackward0, rsqrt_backward)                                      \
    X(ExpBackward0, exp_backward)                                          \
    X(Exp2Backward0, exp2_backward)                                        \
    X(Expm1Backward0, expm1_backward)                                      \
    X(LogBackward0, log_backward)                                          \
    X(Log2Backward0, log2_backward)                                        \
    X(Log10Backward0, log10_backward)                                      \
    X(Log1PBackward0, log1p_backward)                                      \
    X(SinBackward0, sin_backward)                                          \
    X(CosBackward0, cos_backward)                                          \
    X(TanBackward0, tan_backward)                                          \
    X(AsinBackward0, asin_backward)                                        \
    X(AcosBackward0, acos_backward)                                        \
    X(AtanBackward0, atan_backward)                                        \
    X(SinhBackward0, sinh_backward)                                        \
    X(CoshBackward0, cosh_backward)                                        \
    X(TanhBackward0, tanh_backward)                                        \
    X(SigmoidBackward0, sigmoid_backward)                                  \
    X(ReciprocalBackward0, reciprocal_backward)                            \
    X(FloorBackward0, zero_backward)                                       \
    X(CeilBackward0, zero_backward)                                        \
    X(RoundBackward0, zero_backward)                                       \
    X(TruncBackward0, zero_backward)                                       \
    X(FracBackward0, identity_backward)                                    \
    X(WhereBackward0, where_backward)                                      \
    X(ClampBackward0, clamp_backward0)                                     \
    X(ClampBackward1, clamp_backward1)                                     \
    X(ThresholdBackwardBackward0, threshold_backward_backward)             \
    X(TanhBackwardBackward0, tanh_backward_backward)                       \
    X(SigmoidBackwardBackward0, sigmoid_backward_backward)                 \
    X(LerpBackward0, lerp_backward0)                                       \
    X(LerpBackward1, lerp_backward1)                                       \
    X(ClampMinBackward0, clamp_bound_backward)                             \
    X(ClampMinBackward1, clamp_bound_backward)                             \
    X(ClampMaxBackward0, clamp_bound_backward)                             \
    X(ClampMaxBackward1, clamp_bound_backward)                             \
    X(MaskedFillBackward0, masked_fill_backward)                           \
    X(MaskedFillBackward1, masked_fill_backward)                           \
    X(DivBackward2, fill_backward)                                         \
    X(ZeroBackward0, fill_backward)                                        \
    X(FillBackward2, fill_backward)                                        \
    X(FillBackward3, fill_backward)                                        \
    X(NanToNumBackward0, nan_to_num_backward)                              \
    X(SgnBackward0, sgn_backward)                                          \
    X(AngleBackward0, angle_backward)                                      \
    X(RoundBackward1, zero_backward)                                       \
    X(AddcmulBackward0, addc_backward)                                     \
    X(AddcdivBackward0, addc_backward)                                     \
    /* shape.c */                                                          \
    X(ViewBackward0, reshape_backward)                                     \
    X(ReshapeAliasBackward0, reshape_backward)                             \
    X(UnsafeViewBackward0, reshape_backward)                               \
    X(AliasBackward0, identity_backward)                                   \
    X(TransposeBackward0, transpose_backward)                              \
    X(TBackward0, t_backward)                                              \
    X(PermuteBackward0, permute_backward)                                  \
    X(SqueezeBackward0, squeeze_backward)                                  \
    X(SqueezeBackward1, squeeze_backward)                                  \
    X(SqueezeBackward3, reshape_backward)                                  \
    X(UnsqueezeBackward0, unsqueeze_backward)                              \
    /* the in-place view ops (ops/inplace_view.c) keep the same ctx */     \
    X(SqueezeBackward2, reshape_backward)                                  \
    X(UnsqueezeBackward1, unsqueeze_backward)                              \
    X(TransposeBackward1, transpose_backward)                              \
    X(TBackward1, t_backward)                                              \
    X(ExpandBackward0, expand_backward)                                    \
    X(SelectBackward0, select_backward)                                    \
    X(SliceBackward0, slice_backward)                                      \
    X(CatBackward0, cat_backward)                                          \
    X(StackBackward0, stack_backward)                                      \
    X(SplitBackward0, split_backward)                                      \
    X(SplitWithSizesBackward0, split_backward)                             \
    X(UnbindBackward0, unbind_backward)                                    \
    X(FlipBackward0, flip_backward)                                        \
    X(Rot90Backward0, rot90_backward)                                      \
    X(RepeatBackward0, repeat_backward)                                    \
    X(SelectBackwardBackward0, select_backward_backward)                   \
    X(SliceBackwardBackward0, slice_backward_backward)                     \
    X(DiagonalBackward0, diagonal_backward)                                \
    X(DiagonalBackwardBackward0, diagonal_backward_backward)               \
    X(RollBackward0, roll_backward)                                        \
    /* index.c */                                                          \
    X(IndexBackward0, index_backward)                                      \
    X(IndexPutImplBackward0, index_put_impl_backward)                      \
    X(IndexPutBackward0, index_put_backward)                               \
    X(CopySlices, index_put_backward)                                      \
    X(TakeBackward0, positions_backward)                                   \
    X(IndexSelectBackward0, positions_backward)                            \
    X(MaskedSelectBackward0, positions_backward)                           \
    X(AsStridedBackward0, as_strided_backward)                             \
    X(AsStridedBackward1, as_strided_backward)                             \
    X(PutBackward0, gather_back_backward)                                  \
    X(IndexAddBackward0, gather_back_backward)                             \
    X(MaskedScatterBackward0, gather_back_backward)                        \
    X(AsStridedScatterBackward0, gather_back_backward)                     \
    X(GatherBackward0, gather_backward)                                    \
    X(ScatterBackward0, scatter_backward)                                  \
    X(ScatterBackward1, scatter_backward)                                  \
    X(ScatterAddBackward0, scatter_add_backward)                           \
    /* reduce.c */                                                         \
    X(SumBackward0, sum_backward)                                          \
    X(SumBackward1, sum_backward)                                          \
    X(MeanBackward0, mean_backward)                                        \
    X(MeanBackward1, mean_backward)                                        \
    X(ProdBackward0, prod_backward)                                        \
    X(ProdBackward1, prod_backward)                                        \
    X(AmaxBackward0, amax_backward)                                        \
    X(AminBackward0, amax_backward)                                        \
    X(MaxBackward0, max_dim_backward)                                      \
    X(MinBackward0, max_dim_backward)                                      \
    X(MaxBackward1, max_all_backward)                                      \
    X(MinBackward1, max_all_backward)                                      \
    X(CumsumBackward0, cumsum_backward)                                    \
    X(VarBackward0, var_backward)                                          \
    X(StdBackward0, std_backward)                                          \
    X(LogsumexpBackward0, logsumexp_backward)                              \
    X(CumprodBackward0, cumprod_backward)                                  \
    X(NansumBackward0, nansum_backward)                                    \
    X(CummaxBackward0, cummaxmin_backward)                                 \
    X(CumminBackward0, cummaxmin_backward)                                 \
    X(VarMeanBackward0, var_mean_backward)                                 \
    X(StdMeanBackward0, var_mean_backward)                                 \
    /* sort.c */                                                           \
    X(SortBackward0, sort_backward)                                        \
    X(TopkBackward0, value_selecting_backward)                             \
    X(KthvalueBackward0, value_selecting_backward)                         \
    X(MedianBackward1, value_selecting_backward)                           \
    X(ModeBackward0, value_selecting_backward)                             \
    X(MedianBackward0, median_all_backward)                                \
    /* linalg.c */                                                         \
    X(MmBackward0, mm_backward)                                            \
    X(BmmBackward0, mm_backward)                                           \
    X(MvBackward0, mv_backward)                                            \
    X(DotBackward0, dot_backward)                                          \
    X(TrilBackward0, tril_backward)                                        \
    X(TriuBackward0, triu_backward)                                        \
    X(DiagBackward0, diag_backward)                                        \
    X(DiagEmbedBackward0, diag_embed_backward)                             \
    X(BlockDiagBackward0, block_diag_backward)                             \
    X(TraceBackward0, trace_backward)                                      \
    X(AddmmBackward0, addmm_backward)                                      \
    X(LinalgVectorNormBackward0, vector_norm_backward)                     \
    X(NormBackward1, vector_norm_backward)                                 \
    X(VdotBackward0, vdot_backward)                                        \
    X(LinalgCrossBackward0, cross_backward)                                \
    /* linalg_add.c */                                                     \
    X(AddmvBackward0, addmv_backward)                                      \
    X(AddrBackward0, addr_backward)                                        \
    X(AddbmmBackward0, addbmm_backward)                                    \
    X(BaddbmmBackward0, baddbmm_backward)                                  \
    /* statistics.c */                                                     \
    X(DistBackward0, dist_backward)                                        \
    /* linalg_decomp.c */                                                  \
    X(LinalgDetBackward0, linalg_det_backward)                             \
    X(LinalgSlogdetBackward0, linalg_slogdet_backward)                     \
    X(LinalgInvExBackward0, linalg_inv_ex_backward)                        \
    X(LinalgSolveExBackward0, linalg_solve_ex_backward)                    \
    X(LinalgCholeskyExBackward0, cholesky_backward)                        \
    X(CholeskyBackward0, cholesky_backward)                                \
    X(LinalgLuFactorExBackward0, linalg_lu_factor_ex_backward)             \
    X(LinalgLuSolveBackward0, linalg_lu_solve_backward)                    \
    X(LinalgSolveTriangularBackward0, linalg_solve_triangular_backward)    \
    /* linalg_qr.c, linalg_spectral.c */                                   \
    X(LinalgQrBackward0, linalg_qr_backward)                               \
    X(GeqrfBackward0, geqrf_backward)                                      \
    X(LinalgHouseholderProductBackward0, linalg_unimplemented_backward)    \
    X(LinalgEighBackward0, linalg_eigh_backward)                           \
    X(SymeigBackward0, symeig_backward)                                    \
    X(LinalgSvdBackward0, linalg_svd_backward)                             \
    X(CholeskySolveBackward0, cholesky_solve_backward)                     \
    X(CholeskyInverseBackward0, cholesky_inverse_backward)                 \
    X(TriangularSolveBackward0, triangular_solve_backward)                 \
    X(LinalgPinvBackward0, pinv_backward)                                  \
    X(LuUnpackBackward0, lu_unpack_backward)                               \
    /* convert.c */                                                        \
    X(CopyBackwards, copy_backward)                                        \
    X(ToCopyBackward0, identity_backward)                                  \
    X(CloneBackward0, identity_backward)                                   \
    X(PinMemoryBackward0, identity_backward)                               \
    /* nn.c */                                                             \
    X(GeluBackward0, act_backward)                                         \
    X(EluBackward0, act_backward)                                          \
    X(EluBackward1, act_backward)                                          \
    X(CeluBackward0, act_backward)                                         \
    X(CeluBackward1, act_backward)                                         \
    X(LeakyReluBackward0, act_backward)                                    \
    X(LeakyReluBackward1, act_backward)                                    \
    X(SoftplusBackward0, act_backward)                                     \
    X(HardtanhBackward0, act_backward)                                     \
    X(LogSigmoidBackward0, act_backward)                                   \
    X(SiluBackward0, silu_backward)                                        \
    X(MishBackward0, mish_backward)                                        \
    X(HardswishBackward0, act_backward)                                    \
    X(HardsigmoidBackward0, act_backward)                                  \
    X(HardswishBackwardBackward0, act_bb)                                  \
    X(GeluBackwardBackward0, act_bb)                                       \
    X(SiluBackwardBackward0, act_bb)                                       \
    X(EluBackwardBackward0, act_bb)                                        \
    X(LeakyReluBackwardBackward0, act_bb)                                  \
    X(SoftplusBackwardBackward0, act_bb)                                   \
    X(HardtanhBackwardBackward0, act_bb)                                   \
    X(LogSigmoidBackwardBackward0, act_bb)                                 \
    X(MseLossBackward0, loss_backward)                                     \
    X(SmoothL1LossBackward0, loss_backward)                                \
    X(HuberLossBackward0, loss_backward)                                   \
    X(MseLossBackwardBackward0, loss_bb)                                   \
    X(SmoothL1LossBackwardBackward0, loss_bb)                              \
    X(HuberLossBackwardBackward0, loss_bb)                                 \
    X(NllLossBackward0, nll_backward)                                      \
    X(NllLoss2DBackward0, nll_backward)                                    \
    X(NllLossBackwardBackward0, nll_bb)                                    \
    X(NllLoss2DBackwardBackward0, nll_bb)                                  \
    X(BinaryCrossEntropyBackward0, bce_backward)                           \
    X(BinaryCrossEntropyBackwardBackward0, bce_bb)                         \
    X(BinaryCrossEntropyWithLogitsBackward0, bce_logits_backward)          \
    X(ConstantPadNdBackward0, pad_backward)                                \
    X(ReflectionPad1DBackward0, reflection_pad_backward)                   \
    X(ReflectionPad2DBackward0, reflection_pad_backward)                   \
    X(ReflectionPad3DBackward0, reflection_pad_backward)                   \
    X(ReplicationPad1DBackward0, replication_pad_backward)                 \
    X(ReplicationPad2DBackward0, replication_pad_backward)                 \
    X(ReplicationPad3DBackward0, replication_pad_backward)                 \
    X(ConvolutionBackward0, convolution_backward)                          \
    X(ConvTbcBackward0, conv_tbc_backward)                                 \
    X(UpsampleNearest1DBackward1, upsample_backward)                       \
    X(UpsampleNearest2DBackward1, upsample_backward)                       \
    X(UpsampleBilinear2DBackward1, upsample_backward)                      \
    X(UpsampleLinear1DBackward1, upsample_backward)                        \
    X(Im2ColBackward0, im2col_backward)                                    \
    X(Col2ImBackward0, col2im_backward)                                    \
    X(NativeBatchNormBackward0, norm_backward)                             \
    X(NativeLayerNormBackward0, norm_backward)                             \
    X(NativeGroupNormBackward0, norm_backward)                             \
    X(EmbeddingBackward0, embedding_backward)                              \
    X(MaxPool2DWithIndicesBackward0, pool2d_backward)                      \
    X(AvgPool2DBackward0, pool2d_backward)                                 \
    X(AdaptiveMaxPool2DBackward0, pool2d_backward)                         \
    X(AdaptiveAvgPool2DBackward0, pool2d_backward)                         \
    X(SoftmaxBackward0, softmax_backward)                                  \
    X(LogSoftmaxBackward0, log_softmax_backward)                           \
    X(SoftmaxBackwardDataBackward0, softmax_backward_data_backward)        \
    X(LogSoftmaxBackwardDataBackward0, log_softmax_backward_data_backward) \
    /* index_scatter.c */                                                  \
    X(IndexCopyBackward0, scatter_positions_backward)                     \
    X(IndexFillBackward0, scatter_positions_backward)                     \
    X(IndexFillBackward1, scatter_positions_backward)                     \
    X(SelectScatterBackward0, scatter_positions_backward)                 \
    X(SliceScatterBackward0, scatter_positions_backward)                  \
    X(DiagonalScatterBackward0, scatter_positions_backward)               \
    /* strided.c */                                                        \
    X(UnfoldBackward0, as_strided_backward)                               \
    X(ResizeBackward, resize_backward)                                     \
    X(ScatterReduceBackward0, scatter_reduce_backward)                   \
    X(IndexReduceBackward0, scatter_reduce_backward)                       \
    X(LogcumsumexpBackward0, logcumsumexp_backward)                         \
    X(RenormBackward0, renorm_backward)                                     \
    X(NanmedianBackward0, median_all_backward)                             \
    X(SegmentReduceBackward0, segment_reduce_backward)                     \
    X(NanmedianBackward1, value_selecting_backward)                        \
    X(PixelShuffleBackward0, pixel_shuffle_backward)                       \
    X(PixelUnshuffleBackward0, pixel_unshuffle_backward)                   \
    X(RreluWithNoiseBackward0, rrelu_backward)                             \
    X(LinalgMatrixExpBackward0, linalg_matrix_exp_backward)                \
    X(LinalgLstsqBackward0, linalg_lstsq_backward)                         \
    X(LinalgLuBackward0, linalg_lu_backward)                               \
    /* threshold.c */                                                      \
    X(ThresholdBackward0, threshold_backward)                              \
    X(ThresholdBackward1, threshold_backward)                              \
    /* loss_margin.c */                                                    \
    X(MultiMarginLossBackward0, multi_margin_loss_backward)                \
    X(MultilabelMarginLossBackward0, multilabel_margin_loss_backward)      \
    /* loss_ctc.c */                                                       \
    X(CtcLossBackward0, ctc_loss_backward)                                 \
    /* unpool.c */                                                         \
    X(MaxUnpool2DBackward0, max_unpool_backward)                           \
    X(MaxUnpool3DBackward0, max_unpool_backward)                           \
    /* pdist.c */                                                          \
    X(PdistBackward0, pdist_backward)                                      \
    X(PdistBackwardBackward0, pdist_backward_backward)                     \
    X(CdistBackward0, cdist_backward)                                      \
    X(CdistBackwardBackward0, cdist_backward_backward)                     \
    X(EuclideanDistBackward0, euclidean_dist_backward)                     \
    X(RsubBackward0, rsub_tensor_backward)                                 \
    X(UnsafeSplitBackward0, split_backward)                                \
    X(UnsafeSplitWithSizesBackward0, split_backward)                       \
    X(FillBackward0, fill_backward)                                        \
    X(FillBackward1, fill_backward)                                        \
    /* special.c: torch.special's erfcx, log_ndtr, ndtri, igamma family */  \
    X(SpecialErfcxBackward0, erfcx_backward)                               \
    X(SpecialLogNdtrBackward0, log_ndtr_backward)                          \
    X(SpecialNdtriBackward0, ndtri_backward)                               \
    X(IgammaBackward0, igamma_backward)                                    \
    X(IgammacBackward0, igamma_backward)                                   \
    /* random_samplers.c: zero gradients */                                \
    X(CauchyBackward0, fill_backward)                                      \
    X(LogNormalBackward0, fill_backward)                                   \
    X(GeometricBackward0, fill_backward)                                   \
    X(PoissonBackward0, fill_backward)                                     \
    /* complex.c: complex tensors' own ops and the FFTs */                \
    X(ConjBackward0, conj_backward)                                        \
    X(ConjPhysicalBackward0, conj_backward)                                \
    X(ConjPhysicalBackward1, conj_backward)                                \
    X(ViewAsRealBackward0, view_as_real_backward)                          \
    X(ViewAsComplexBackward0, view_as_complex_backward)                    \
    X(ComplexBackward0, complex_backward)                                  \
    X(PolarBackward0, polar_backward)                                      \
    X(FftR2CBackward0, fft_r2c_backward)                                   \
    X(FftC2RBackward0, fft_c2r_backward)                                   \
    X(FftC2CBackward0, fft_c2c_backward)                                   \
    /* frexp.c */                                                          \
    X(FrexpBackward0, frexp_backward)                                      \
    /* linalg_ormqr.c */                                                   \
    X(OrmqrBackward0, ormqr_backward)                                      \
    X(MaxPool3DWithIndicesBackward0, pool2d_backward)                      \
    X(AvgPool3DBackward0, pool2d_backward)                                 \
    X(AdaptiveMaxPool3DBackward0, pool2d_backward)                         \
    X(AdaptiveAvgPool3DBackward0, pool2d_backward)                         \
    X(FractionalMaxPool2DBackward0, pool2d_backward)                       \
    X(FractionalMaxPool3DBackward0, pool2d_backward)                       \
    /* hardshrink.c, prelu.c, bilinear.c */                                \
    X(HardshrinkBackward0, shrink_backward)                                \
    X(HardshrinkBackwardBackward0, shrink_backward_backward)               \
    X(SoftshrinkBackward0, shrink_backward)                                \
    X(SoftshrinkBackwardBackward0, shrink_backward_backward)               \
    X(GluBackward0, glu_backward)                                          \
    X(PreluBackward0, prelu_backward)                                      \
    X(PreluBackwardBackward0, prelu_backward_backward)                     \
    X(TrilinearBackward0, trilinear_backward)                              \
    X(AffineGridGeneratorBackward0, affine_grid_generator_backward)       \
    X(EmbeddingBagBackward0, embedding_bag_backward)                       \
    X(GridSampler2DBackward0, grid_sampler_2d_backward)                    \
    X(GridSampler3DBackward0, grid_sampler_3d_backward)

/* The nodes whose formulas follow PyTorch's for complex tensors (the
 * conjugate Wirtinger derivative, with derivatives.yaml's .conj() and
 * handle_r_to_c). The engine runs any other node only on real gradients
 * and inputs: given a complex one it raises NotImplementedError rather
 * than return a gradient PyTorch would not (engine.c). */
#define AG_COMPLEX_NODES(X)                                                                                \
    X(FunctionBackward) X(Error) X(NotImplemented) X(AddBackward0) X(SubBackward0) X(RsubBackward0)          \
    X(RsubBackward1) X(MulBackward0) X(DivBackward0) X(MulBackward1) X(DivBackward1) X(AddBackward1)         \
    X(SubBackward1) X(PowBackward0) X(PowBackward1) X(NegBackward0) X(AbsBackward0) X(SqrtBackward0)         \
    X(ExpBackward0) X(LogBackward0) X(SinBackward0) X(CosBackward0) X(TanhBackward0) X(ReciprocalBackward0)  \
    X(SgnBackward0) X(AngleBackward0) X(ViewBackward0) X(ReshapeAliasBackward0) X(UnsafeViewBackward0)       \
    X(AliasBackward0) X(TransposeBackward0) X(TBackward0) X(PermuteBackward0) X(SqueezeBackward0)            \
    X(SqueezeBackward1) X(SqueezeBackward3) X(UnsqueezeBackward0) X(SqueezeBackward2) X(UnsqueezeBackward1)  \
    X(TransposeBackward1) X(TBackward1) X(ExpandBackward0) X(SelectBackward0) X(SliceBackward0)              \
    X(CatBackward0) X(StackBackward0) X(SplitBackward0) X(SplitWithSizesBackward0) X(UnbindBackward0)        \
    X(FlipBackward0) X(RepeatBackward0) X(IndexBackward0) X(IndexSelectBackward0) X(AsStridedBackward0)      \
    X(AsStridedBackward1)                                                                                     \
    X(SumBackward0) X(SumBackward1) X(MeanBackward0) X(MeanBackward1) X(ProdBackward0) X(ProdBackward1)      \
    X(MmBackward0) X(BmmBackward0) X(MvBackward0) X(DotBackward0) X(ToCopyBackward0) X(CloneBackward0)       \
    X(ConstantPadNdBackward0) X(ConjBackward0) X(ConjPhysicalBackward0) X(ConjPhysicalBackward1) X(ViewAsRealBackward0)              \
    X(ViewAsComplexBackward0) X(ComplexBackward0) X(PolarBackward0) X(FftR2CBackward0) X(FftC2RBackward0)   \
    X(FftC2CBackward0) X(RsqrtBackward0) X(Log2Backward0) X(Log10Backward0) X(TanBackward0) X(AsinBackward0)    \
    X(AcosBackward0) X(AtanBackward0) X(SinhBackward0) X(CoshBackward0) X(SigmoidBackward0) X(AsinhBackward0) \
    X(AcoshBackward0) X(AtanhBackward0) X(WhereBackward0) X(TrilBackward0) X(TriuBackward0) X(RollBackward0)  \
    X(MaskedFillBackward0) X(MaskedFillBackward1) X(VdotBackward0) X(CumsumBackward0) X(Rot90Backward0)        \
    X(DiagonalBackward0) X(TraceBackward0) X(CopySlices)

/* NODE_NONE is no node: what a table of an op's nodes holds for a form
 * that records nothing (a zero-initialised entry). It is never recorded. */
typedef enum {
    NODE_NONE,
#define X(name, fn) NODE_##name,
    AG_NODES(X)
#undef X
    NODE_COUNT
} GradNodeKind;

/* PyTorch's name of each node kind ("MulBackward0"); NULL for NODE_NONE. */
extern const char *const ag_node_names[NODE_COUNT];

#endif
